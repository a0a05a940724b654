import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { EditConflictChoice, EditSession } from '../../../shared/edit-contract';
import { lastSegment } from '../../../shared/names';
import { AppFailure, toAppError } from '../app-failure';
import { classifyS3Error } from '../s3/classify-s3-error';
import { ensurePrivateFolder } from '../storage/private-folder';
import { currentVersion, putAsCopy, putIfUnchanged, type ConditionalWrites } from './conditional-put';
import { downloadForEdit, MAX_EDIT_BYTES } from './download-for-edit';
import { readSaved, watchForSaves, type SaveWatch, type SaveWatchTiming } from './save-watcher';
import { leftoverSessions, writeSessionRecord } from './session-record';
import { localNameFor } from './download-for-edit';

/** How the desktop app opens a file: with the OS's default app, or one the person picks (false: the picker was cancelled). */
export type FileOpener = (path: string, app: 'default' | 'choose') => Promise<boolean>;

/** What the sessions are built from; each passed in so tests run them in plain Node. */
export interface EditSessionPorts {
  clientFor(accountId: string, bucket: string): Promise<S3Client>;
  /** Whether the service's single-part ETags are the MD5 of the bytes (then saves and copies are checked by it). */
  etagsAreMd5(accountId: string, bucket: string): Promise<boolean>;
  /** A session changed or ended. */
  changed(session: EditSession, ended: boolean): void;
  /** A save landed in this folder: its views refresh. */
  folderChanged(accountId: string, bucket: string, key: string): void;
  /** The private folder that holds each session's copy (the data folder's edit/). */
  root: string;
  /** The desktop app's opener; absent in web mode. */
  open?: FileOpener | undefined;
  /** A short-lived link that downloads exactly this version of the object (web mode). */
  downloadLink(accountId: string, bucket: string, key: string, versionId: string | null): Promise<string>;
  /** The one file a browser sent into a spool (web mode's "Upload my changes"), and the spool's removal. */
  spoolFile(spoolId: string): Promise<string>;
  removeSpool(spoolId: string): Promise<void>;
  timing?: SaveWatchTiming;
  now?: () => Date;
}

/** A session as main holds it: its view, its copy and watch, and the bytes a refused save left. */
interface LiveSession {
  view: EditSession;
  folder: string | null;
  watch: SaveWatch | undefined;
  abort: AbortController;
  writes: ConditionalWrites;
  /** The refused save's bytes, kept until the conflict question is answered. */
  unsent: Buffer | null;
  /** SHA-256 of the bytes the server holds for this session (read or last written); null before the copy is fetched. */
  syncedSha256: string | null;
  /** Uploads run one after another. */
  queue: Promise<unknown>;
}

/** The editing sessions of one run: open, upload each save if the object did not change, ask, end. */
export interface EditSessions {
  /**
   * Looks once at the copies earlier runs left: one whose bytes are what the server held when it
   * was last read or written is removed; one with changes not uploaded comes back as a
   * 'recovered' session; a folder without a readable record is left alone.
   */
  recover(): Promise<void>;
  list(): EditSession[];
  openInApp(accountId: string, bucket: string, key: string, app: 'default' | 'choose'): Promise<EditSession>;
  startBrowserEdit(accountId: string, bucket: string, key: string): Promise<{ session: EditSession; url: string }>;
  uploadFromSpool(sessionId: string, spoolId: string): Promise<EditSession>;
  resolve(sessionId: string, choice: EditConflictChoice): Promise<EditSession | null>;
  stop(sessionId: string): Promise<boolean>;
  /** Ends every session (quit): copies with unsent changes stay on disk, the others go. */
  dispose(): Promise<void>;
}

/** The sessions over the ports. */
export function createEditSessions(ports: EditSessionPorts): EditSessions {
  const live = new Map<string, LiveSession>();
  const now = ports.now ?? (() => new Date());
  const rootWords = { name: 'editing folder', refused: 'no file is edited there', retry: 'open the file again' };

  const emit = (session: LiveSession, ended = false) => ports.changed({ ...session.view }, ended);
  const update = (session: LiveSession, change: Partial<EditSession>) => {
    session.view = { ...session.view, ...change };
    emit(session);
  };
  const sessionOf = (sessionId: string): LiveSession => {
    const session = live.get(sessionId);
    if (!session) throw new AppFailure('invalid-input', 'That file is not being edited any more. Open it again.');
    return session;
  };

  const newSession = (accountId: string, bucket: string, key: string, mode: EditSession['mode']): LiveSession => {
    const session: LiveSession = {
      view: {
        id: randomUUID(),
        accountId,
        bucket,
        key,
        name: lastSegment(key),
        mode,
        state: 'opening',
        etag: null,
        uploads: 0,
        uploadedAt: null,
        message: null,
        copyKey: null,
      },
      folder: null,
      watch: undefined,
      abort: new AbortController(),
      writes: { ifMatch: 'try' },
      unsent: null,
      syncedSha256: null,
      queue: Promise.resolve(),
    };
    live.set(session.view.id, session);
    emit(session);
    return session;
  };

  /** Removes a session's own folder, and only when it lies inside the editing root. */
  /** Removes a folder of the editing root (and nothing outside it). */
  const removeFolder = async (folder: string) => {
    const inside = relative(ports.root, folder);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return;
    await rm(folder, { recursive: true, force: true });
  };

  const removeCopy = async (session: LiveSession) => {
    const folder = session.folder;
    if (folder === null) return;
    await removeFolder(folder);
    session.folder = null;
  };

  /** Whether a desktop session's copy holds bytes the server does not (a save not uploaded). */
  const copyHasChanges = async (session: LiveSession): Promise<boolean> => {
    if (session.folder === null || session.syncedSha256 === null) return false;
    const content = await readSaved(join(session.folder, localNameFor(session.view.key))).catch(() => null);
    return content !== null && content.sha256 !== session.syncedSha256;
  };

  const end = async (session: LiveSession) => {
    session.abort.abort();
    session.watch?.close();
    live.delete(session.view.id);
    await session.queue.catch(() => undefined);
    await removeCopy(session);
    emit(session, true);
  };

  /** Uploads one save over the version the session knows, or records the conflict. */
  const upload = (session: LiveSession, bytes: Buffer, over: 'known' | 'current' = 'known'): Promise<void> => {
    const run = async () => {
      if (!live.has(session.view.id)) return;
      if (bytes.length > MAX_EDIT_BYTES) {
        update(session, {
          state: 'failed',
          message: `The file is now over ${MAX_EDIT_BYTES / 1024 / 1024} MiB, too big to upload from here. Upload it with Upload instead.`,
        });
        return;
      }
      update(session, { state: 'uploading', message: null });
      const { accountId, bucket, key } = session.view;
      try {
        const client = await ports.clientFor(accountId, bucket);
        let expectedEtag = session.view.etag;
        if (over === 'current') {
          // "Overwrite": over whatever the server holds now (nothing, if it was deleted).
          expectedEtag = (await currentVersion(client, bucket, key, session.abort.signal))?.etag ?? null;
        }
        const result = await putIfUnchanged(client, { bucket, key, expectedEtag }, bytes, session.writes, {
          etagsAreMd5: await ports.etagsAreMd5(accountId, bucket),
          signal: session.abort.signal,
        });
        if (result.kind === 'stored') {
          session.unsent = null;
          if (session.folder !== null) {
            // The copy now matches the server: a crash from here on leaves nothing to offer back.
            const sha256 = createHash('sha256').update(bytes).digest('hex');
            session.syncedSha256 = sha256;
            await writeSessionRecord(session.folder, { accountId, bucket, key, etag: result.etag, sha256 }).catch(
              () => undefined,
            );
          }
          update(session, {
            state: 'uploaded',
            etag: result.etag,
            uploads: session.view.uploads + 1,
            uploadedAt: now().toISOString(),
            message: null,
          });
          ports.folderChanged(accountId, bucket, key);
        } else {
          session.unsent = bytes;
          const when = result.serverModifiedAt ? ` (changed ${result.serverModifiedAt})` : '';
          update(session, {
            state: 'conflict',
            message:
              result.serverEtag === null
                ? `“${session.view.name}” was deleted on the server since you opened it. Your save was not uploaded.`
                : `“${session.view.name}” changed on the server since you opened it${when}. Your save was not uploaded.`,
          });
        }
      } catch (error) {
        if (!live.has(session.view.id)) return;
        const problem = toAppError(error, classifyS3Error);
        update(session, { state: 'failed', message: `Your save was not uploaded: ${problem.message}` });
      }
    };
    const next = session.queue.then(run, run);
    session.queue = next.catch(() => undefined);
    return next;
  };

  let recovering: Promise<void> | undefined;
  const recoverLeftovers = async () => {
    for (const { folder, record } of await leftoverSessions(ports.root)) {
      if (record === null) continue;
      const path = join(folder, localNameFor(record.key));
      const content = await readSaved(path).catch(() => null);
      if (content === null || content.sha256 === record.sha256) {
        await removeFolder(folder).catch(() => undefined);
        continue;
      }
      const session = newSession(record.accountId, record.bucket, record.key, 'desktop');
      session.folder = folder;
      session.unsent = content.bytes;
      session.syncedSha256 = record.sha256;
      session.watch = watchForSaves(path, content.sha256, async (saved) => upload(session, saved.bytes), ports.timing);
      update(session, {
        state: 'recovered',
        etag: record.etag,
        message: `Changes to “${session.view.name}” were saved after the app last stopped and not uploaded.`,
      });
    }
  };

  return {
    recover: () => (recovering ??= recoverLeftovers().catch(() => undefined)),

    list: () => [...live.values()].map((session) => ({ ...session.view })),

    async openInApp(accountId, bucket, key, app) {
      const open = ports.open;
      if (!open) {
        throw new AppFailure(
          'not-supported',
          'Opening a file in a local app works in the desktop app. Here, use Edit: download the file, then upload your changes.',
        );
      }
      const session = newSession(accountId, bucket, key, 'desktop');
      try {
        await ensurePrivateFolder(ports.root, rootWords);
        session.folder = await mkdtemp(join(ports.root, 'session-'));
        const client = await ports.clientFor(accountId, bucket);
        const copy = await downloadForEdit(client, { bucket, key }, session.folder, {
          etagsAreMd5: await ports.etagsAreMd5(accountId, bucket),
          signal: session.abort.signal,
        });
        session.view = { ...session.view, etag: copy.etag };
        session.syncedSha256 = copy.sha256;
        await writeSessionRecord(session.folder, { accountId, bucket, key, etag: copy.etag, sha256: copy.sha256 });
        if (!(await open(copy.path, app))) {
          throw new AppFailure('cancelled', 'No app was chosen, so the file was not opened.');
        }
        if (!live.has(session.view.id)) throw new AppFailure('cancelled', 'Editing was stopped.');
        session.watch = watchForSaves(
          copy.path,
          copy.sha256,
          async (content) => upload(session, content.bytes),
          ports.timing,
        );
        update(session, { state: 'watching' });
        return { ...session.view };
      } catch (error) {
        await end(session);
        throw error;
      }
    },

    async startBrowserEdit(accountId, bucket, key) {
      const session = newSession(accountId, bucket, key, 'browser');
      try {
        const client = await ports.clientFor(accountId, bucket);
        // The link names the version (where there are versions), so the bytes are the ones whose ETag is kept.
        const current = await currentVersion(client, bucket, key);
        if (!current) {
          throw new AppFailure(
            'no-such-key',
            `“${lastSegment(key)}” is not on the server (any more). Refresh the folder.`,
          );
        }
        const url = await ports.downloadLink(accountId, bucket, key, current.versionId);
        update(session, { state: 'watching', etag: current.etag });
        return { session: { ...session.view }, url };
      } catch (error) {
        await end(session);
        throw error;
      }
    },

    async uploadFromSpool(sessionId, spoolId) {
      const session = sessionOf(sessionId);
      try {
        const content = await readSaved(await ports.spoolFile(spoolId));
        await upload(session, content.bytes);
      } finally {
        await ports.removeSpool(spoolId).catch(() => undefined);
      }
      return { ...session.view };
    },

    async resolve(sessionId, choice) {
      const session = sessionOf(sessionId);
      const unsent = session.unsent;
      if (choice === 'discard') {
        await end(session);
        return null;
      }
      if (choice === 'keep-editing' || unsent === null) {
        session.unsent = null;
        update(session, {
          state: 'watching',
          message: `Not uploaded: “${session.view.name}” changed on the server. Saving again asks again.`,
        });
        return { ...session.view };
      }
      if (choice === 'overwrite') {
        // A recovered copy goes up over the version it was opened from: a change since asks again.
        await upload(session, unsent, session.view.state === 'recovered' ? 'known' : 'current');
        return { ...session.view };
      }
      const client = await ports.clientFor(session.view.accountId, session.view.bucket);
      const copyKey = await putAsCopy(client, session.view.bucket, session.view.key, unsent, session.writes);
      ports.folderChanged(session.view.accountId, session.view.bucket, copyKey);
      session.unsent = null;
      session.view = { ...session.view, copyKey, message: `Your changes were saved as “${lastSegment(copyKey)}”.` };
      const finalView = { ...session.view };
      await end(session);
      return finalView;
    },

    async stop(sessionId) {
      const session = live.get(sessionId);
      if (!session) return false;
      await end(session);
      return true;
    },

    async dispose() {
      for (const session of [...live.values()]) {
        if (session.unsent !== null || (await copyHasChanges(session))) {
          // A copy with changes not on the server (a refused or failed save) stays on disk:
          // quitting must not lose them. Its record offers it back on the next start.
          session.watch?.close();
          session.abort.abort();
          live.delete(session.view.id);
        } else {
          await end(session);
        }
      }
    },
  };
}
