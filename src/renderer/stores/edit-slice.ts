import type { StateCreator } from 'zustand';
import type { EditConflictChoice, EditSession } from '../../shared/edit-contract';
import type { Result } from '../../shared/result';
import { createSpoolSender, type SpoolSender } from '../bridge/spool-client';
import type { AppState, StoreDependencies } from './app-state';
import type { BrowserLocation } from './selection-slice';

/** How the browser is told to download a link (a test replaces it). */
export type LinkDownloader = (url: string, name: string) => void;

/** Starts a download of a link in the page: an anchor click (the link answers with Content-Disposition: attachment). */
export function downloadInPage(url: string, name: string): void {
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}

/**
 * Files being edited with a local app (issue #15): the sessions main reports, the conflict
 * question of the session whose save was refused, and the actions that start, feed, answer and
 * end them. The desktop app opens a watched copy; web mode downloads the file and sends the
 * edited copy back with "Upload my changes".
 */
export interface EditSlice {
  /** Sessions in the order they began. */
  editSessions: EditSession[];
  /** The session whose conflict question is open (null: none), so it is asked once per refusal. */
  editQuestion: string | null;
  /** Starts editing a file: `app` default or chosen (desktop), `browser` (web mode: download). */
  startEdit: (
    location: BrowserLocation,
    key: string,
    app: 'default' | 'choose' | 'browser',
  ) => Promise<Result<unknown>>;
  /** Web mode: sends the person's edited copy over the session's object. */
  uploadEditedFile: (sessionId: string, file: File) => Promise<Result<unknown>>;
  /** Answers the conflict question. */
  resolveEdit: (sessionId: string, choice: EditConflictChoice) => Promise<Result<unknown>>;
  stopEdit: (sessionId: string) => Promise<Result<unknown>>;
  closeEditQuestion: () => void;
  /** Takes main's `edit.changed` event. */
  receiveEditChanged: (change: { session: EditSession; ended: boolean }) => void;
  /** Reads the sessions main has (on start). */
  loadEdits: () => Promise<void>;
}

/** The slice over the API, with the page's spool sender and link downloader unless a test passes its own. */
export function createEditSlice(
  deps: StoreDependencies,
  page: { sender?: () => SpoolSender; download?: LinkDownloader } = {},
): StateCreator<AppState, [], [], EditSlice> {
  return (set, get) => {
    const { api } = deps;
    let spoolSender: SpoolSender | undefined;
    const sender = page.sender ?? (() => (spoolSender ??= createSpoolSender()));
    const download = page.download ?? downloadInPage;

    const upsert = (session: EditSession, ended: boolean) =>
      set((state) => {
        const others = state.editSessions.filter((s) => s.id !== session.id);
        const index = state.editSessions.findIndex((s) => s.id === session.id);
        const editSessions = ended
          ? others
          : index < 0
            ? [...state.editSessions, session]
            : state.editSessions.map((s) => (s.id === session.id ? session : s));
        const before = index < 0 ? undefined : state.editSessions[index];
        // Asked when a session comes into conflict; closed when it leaves it or ends.
        const editQuestion =
          !ended && session.state === 'conflict' && before?.state !== 'conflict'
            ? session.id
            : state.editQuestion === session.id && (ended || session.state !== 'conflict')
              ? null
              : state.editQuestion;
        return { editSessions, editQuestion };
      });

    return {
      editSessions: [],
      editQuestion: null,
      async startEdit(location, key, app) {
        const { accountId, bucket } = location;
        if (app === 'browser') {
          const started = await api.edit.download({ accountId, bucket, key });
          if (!started.ok) {
            get().notify(`Could not edit ${key.slice(key.lastIndexOf('/') + 1)}: ${started.error.message}`, 'error');
            return started;
          }
          upsert(started.value.session, false);
          download(started.value.url, started.value.session.name);
          return started;
        }
        const opened = await api.edit.open({ accountId, bucket, key, app });
        if (!opened.ok && opened.error.code !== 'cancelled') {
          get().notify(`Could not open ${key.slice(key.lastIndexOf('/') + 1)}: ${opened.error.message}`, 'error');
        }
        if (opened.ok) upsert(opened.value, false);
        return opened;
      },
      async uploadEditedFile(sessionId, file) {
        const opened = await api.transfers.openSpool({});
        if (!opened.ok) return opened;
        const sent = await sender()({
          spoolId: opened.value.spoolId,
          relativePath: file.name.replace(/[/\\]/g, '_') || 'file',
          body: file,
          signal: new AbortController().signal,
          onProgress: () => undefined,
        });
        if (!sent.ok) {
          get().notify(`Your changes were not sent: ${sent.error.message}`, 'error');
          return sent;
        }
        const uploaded = await api.edit.uploadChanges({ sessionId, spoolId: opened.value.spoolId });
        if (uploaded.ok) upsert(uploaded.value, false);
        else get().notify(`Your changes were not uploaded: ${uploaded.error.message}`, 'error');
        return uploaded;
      },
      async resolveEdit(sessionId, choice) {
        set({ editQuestion: null });
        const resolved = await api.edit.resolve({ sessionId, choice });
        if (!resolved.ok) {
          get().notify(`That did not work: ${resolved.error.message}`, 'error');
          return resolved;
        }
        const session = resolved.value.session;
        if (session?.copyKey && choice === 'save-copy') get().notify(session.message ?? 'Saved as a copy.', 'info');
        return resolved;
      },
      async stopEdit(sessionId) {
        const stopped = await api.edit.stop({ sessionId });
        if (stopped.ok) set((state) => ({ editSessions: state.editSessions.filter((s) => s.id !== sessionId) }));
        return stopped;
      },
      closeEditQuestion: () => set({ editQuestion: null }),
      receiveEditChanged: ({ session, ended }) => upsert(session, ended),
      async loadEdits() {
        const listed = await api.edit.list({});
        if (listed.ok) set({ editSessions: listed.value });
      },
    };
  };
}
