import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { editRequests } from '../../../shared/edit-contract';
import { lastSegment, parentOf } from '../../../shared/names';
import { AppFailure } from '../app-failure';
import type { DomainServices } from '../handlers';
import type { ServiceContext } from '../service-context';
import { attachmentDisposition, presignGet } from '../share/presign';
import type { Spools } from '../transfers/spool';
import { createEditSessions, type FileOpener } from './edit-sessions';
import type { SaveWatchTiming } from './save-watcher';

/** A web-mode download link for editing lives this long: the browser starts the download at once. */
const LINK_SECONDS = 15 * 60;

/** What the edit domain needs besides the context: web mode's spools (from the transfers domain) and, for tests, timing. */
export interface EditServiceOptions {
  spools: Pick<Spools, 'isOpen' | 'folderOf' | 'remove'>;
  timing?: SaveWatchTiming;
}

/** The opener over the desktop integration: the OS default app, or one the person picks; absent where there is none. */
function openerOf(context: ServiceContext): FileOpener | undefined {
  const desktop = context.desktop;
  if (!desktop?.openPath) return undefined;
  return async (path, app) => {
    if (app === 'choose') {
      if (!desktop.openWith) throw new AppFailure('not-supported', 'Choosing an app is not available here.');
      return desktop.openWith(path);
    }
    await desktop.openPath?.(path);
    return true;
  };
}

/**
 * Editing a file with a local app (issue #15): the desktop app fetches it into a private folder
 * under the data folder's edit/, opens it, and uploads each save while the object is unchanged on
 * the server; web mode hands the browser a download link and takes the edited file back through
 * a spool. Every channel's work is in edit-sessions.ts, over ports made here.
 */
export function createEditServices(
  context: ServiceContext,
  options: EditServiceOptions,
): DomainServices<keyof typeof editRequests> {
  const { accounts, bus, capabilities } = context;
  const sessions = createEditSessions({
    root: join(context.dataDir, 'edit'),
    clientFor: (accountId, bucket) => accounts.clientForBucket(accountId, bucket),
    etagsAreMd5: async (accountId, bucket) =>
      (await capabilities.forBucket(accountId, bucket)).etag.singlePart === 'md5',
    changed: (session, ended) => bus.emit('edit.changed', { session, ended }),
    folderChanged: (accountId, bucket, key) =>
      bus.emit('objects.changed', { accountId, bucket, prefix: parentOf(key) }),
    open: openerOf(context),
    downloadLink: async (accountId, bucket, key, versionId) =>
      presignGet(
        await accounts.presignerForBucket(accountId, bucket, { shareHost: false }),
        { bucket, key, versionId: versionId ?? undefined, contentDisposition: attachmentDisposition(lastSegment(key)) },
        { signingDate: new Date(), expiresInSeconds: LINK_SECONDS },
      ),
    spoolFile: async (spoolId) => {
      if (!options.spools.isOpen(spoolId)) {
        throw new AppFailure('invalid-input', 'That upload is not open (any more). Choose the file again.');
      }
      const folder = options.spools.folderOf(spoolId);
      const files = (await readdir(folder, { withFileTypes: true })).filter((entry) => entry.isFile());
      const [file] = files;
      if (files.length !== 1 || !file)
        throw new AppFailure('invalid-input', 'Choose exactly one file: your edited copy.');
      return join(folder, file.name);
    },
    removeSpool: (spoolId) => options.spools.remove(spoolId),
    ...(options.timing ? { timing: options.timing } : {}),
  });
  // Copies an earlier run left are looked at once, now: edit.list waits for it.
  void sessions.recover();

  return {
    dispose: () => sessions.dispose(),
    handlers: {
      'edit.list': async () => {
        await sessions.recover();
        return sessions.list();
      },
      'edit.open': ({ accountId, bucket, key, app }) => sessions.openInApp(accountId, bucket, key, app),
      'edit.download': ({ accountId, bucket, key }) => sessions.startBrowserEdit(accountId, bucket, key),
      'edit.uploadChanges': ({ sessionId, spoolId }) => sessions.uploadFromSpool(sessionId, spoolId),
      'edit.resolve': async ({ sessionId, choice }) => ({ session: await sessions.resolve(sessionId, choice) }),
      'edit.stop': async ({ sessionId }) => ({ stopped: await sessions.stop(sessionId) }),
    },
  };
}
