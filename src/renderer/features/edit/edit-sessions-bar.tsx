import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { EditSession } from '../../../shared/edit-contract';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import { EditConflictDialog } from './edit-conflict-dialog';
import { editStateWords } from './edit-words';

/**
 * The files being edited with a local app, under the file list: each with its state (watching,
 * uploading, uploaded at hh:mm, changed on the server, failed), "Upload my changes…" in web mode,
 * "What now?" while a save waits for the conflict question, and "Stop editing"; a copy an earlier
 * run left with changes not uploaded offers "Upload my changes" and "Discard my changes". Nothing while none.
 */
export function EditSessionsBar() {
  const sessions = useAppStore((s) => s.editSessions);
  if (sessions.length === 0) return <EditConflictDialog />;
  return (
    <section className="edit-bar" aria-label="Files being edited">
      <ul className="edit-bar__list">
        {sessions.map((session) => (
          <EditSessionRow key={session.id} session={session} />
        ))}
      </ul>
      <EditConflictDialog />
    </section>
  );
}

function EditSessionRow({ session }: { session: EditSession }) {
  const { uploadEditedFile, stopEdit, resolveEdit } = useAppStore(
    useShallow((s) => ({ uploadEditedFile: s.uploadEditedFile, stopEdit: s.stopEdit, resolveEdit: s.resolveEdit })),
  );
  const ask = () => useAppStore.setState({ editQuestion: session.id });
  const input = useRef<HTMLInputElement>(null);
  const busy = session.state === 'opening' || session.state === 'uploading';
  const tone =
    session.state === 'conflict' || session.state === 'failed' || session.state === 'recovered' ? 'error' : undefined;
  return (
    <li className="edit-bar__row" aria-label={`Editing ${session.name}`}>
      <Icon name={busy ? 'spinner' : 'pencil'} className={busy ? 'icon--spin' : undefined} />
      <span className="edit-bar__name" title={`${session.bucket}/${session.key}`}>
        {session.name}
      </span>
      <span className="edit-bar__state" role="status" data-tone={tone}>
        {editStateWords(session)}
      </span>
      {session.state === 'conflict' ? (
        <button type="button" className="button button--small" onClick={ask}>
          What now?
        </button>
      ) : null}
      {session.state === 'recovered' ? (
        <>
          <button
            type="button"
            className="button button--small"
            aria-label={`Upload my changes to ${session.name}`}
            onClick={() => void resolveEdit(session.id, 'overwrite')}
          >
            Upload my changes
          </button>
          <button
            type="button"
            className="button button--small"
            aria-label={`Discard my changes to ${session.name}`}
            onClick={() => void resolveEdit(session.id, 'discard')}
          >
            Discard my changes
          </button>
        </>
      ) : null}
      {session.mode === 'browser' ? (
        <>
          <input
            ref={input}
            type="file"
            hidden
            aria-label={`Your edited copy of ${session.name}`}
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              event.currentTarget.value = '';
              if (file) void uploadEditedFile(session.id, file);
            }}
          />
          <button
            type="button"
            className="button button--small"
            aria-disabled={busy || undefined}
            onClick={() => (busy ? undefined : input.current?.click())}
          >
            Upload my changes…
          </button>
        </>
      ) : null}
      {session.state === 'recovered' ? null : (
        <button
          type="button"
          className="button button--small"
          aria-label={`Stop editing ${session.name}`}
          onClick={() => void stopEdit(session.id)}
        >
          Stop editing
        </button>
      )}
    </li>
  );
}
