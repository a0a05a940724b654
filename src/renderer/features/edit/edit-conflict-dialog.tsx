import { AlertDialog } from 'radix-ui';
import { useShallow } from 'zustand/react/shallow';
import { useReturnFocus } from '../../components/return-focus';
import { useAppStore } from '../../stores/app-store';
import { fileListFocusTarget } from '../browser/browser-commands';

/**
 * The question asked when a save was refused because the file changed on the server since it was
 * opened: Overwrite (their change is replaced), Save as a copy next to it, Discard my changes (and
 * stop editing), or Keep editing (nothing is uploaded; the next save asks again). Escape only closes the
 * question: the row keeps its "What now?" button.
 */
export function EditConflictDialog() {
  const { session, resolveEdit, close } = useAppStore(
    useShallow((s) => ({
      session: s.editSessions.find((candidate) => candidate.id === s.editQuestion) ?? null,
      resolveEdit: s.resolveEdit,
      close: s.closeEditQuestion,
    })),
  );
  const focus = useReturnFocus(fileListFocusTarget);
  const open = session !== null && session.state === 'conflict';
  const answer = (choice: 'overwrite' | 'save-copy' | 'discard' | 'keep-editing') =>
    session ? void resolveEdit(session.id, choice) : undefined;
  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next) close();
      }}
    >
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content
          className="dialog dialog--alert"
          onOpenAutoFocus={focus.remember}
          onCloseAutoFocus={focus.restore}
        >
          <div className="dialog__header">
            <AlertDialog.Title className="dialog__title">
              {session ? `“${session.name}” changed on the server` : 'Changed on the server'}
            </AlertDialog.Title>
          </div>
          <div className="dialog__body">
            <AlertDialog.Description className="dialog__text">
              {session?.message ?? ''} Someone else changed it after you opened it. What should happen to your changes?
            </AlertDialog.Description>
          </div>
          <div className="dialog__footer">
            <div className="dialog__actions dialog__actions--wrap">
              <AlertDialog.Cancel className="button" onClick={() => answer('keep-editing')}>
                Keep editing
              </AlertDialog.Cancel>
              <button type="button" className="button" onClick={() => answer('discard')}>
                Discard my changes
              </button>
              <button type="button" className="button" onClick={() => answer('save-copy')}>
                Save as a copy
              </button>
              <button type="button" className="button button--danger" onClick={() => answer('overwrite')}>
                Overwrite their change
              </button>
            </div>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
