import type { ActivityKind } from '../../../shared/activity';
import type { ParsedInput, RequestChannel, RequestOutput } from '../../../shared/contract';
import { baseName, count, hostOf, nameList, place, shortName } from './activity-words';

/** What an entry says about one change: its kind, where, and what, in words. */
export interface ActivityDescription {
  kind: ActivityKind;
  accountId: string | null;
  /** The account's name where the recorder cannot know it yet (an account being added). */
  accountName?: string;
  bucket: string | null;
  /** What was changed: "Delete a.jpg and b.jpg from photos". Names only: never a secret, URL or form field. */
  what: string;
}

/** Describes one change from the request's validated input and, when it succeeded, its result. */
type Describe<C extends RequestChannel> = (
  input: ParsedInput<C>,
  output: RequestOutput<C> | undefined,
) => ActivityDescription;

/** How the activity log treats one request channel. */
export type ActivityRule<C extends RequestChannel> =
  /** Not recorded: it only reads, or it steers work whose own entry records the end (pause, cancel). */
  | { record: false; because: 'reads' | 'controls' }
  /** Recorded: every call, with its result (a long operation's or batch's real end, when it comes). */
  | { record: true; describe: Describe<C> };

/** The channel only reads: nothing to record. */
const reads = { record: false, because: 'reads' } as const;
/** The channel steers running work (pause, cancel, retry); that work's own entry records how it ended. */
const controls = { record: false, because: 'controls' } as const;
/** The channel changes something: `describe` picks the fields its entry names. */
function change<C extends RequestChannel>(describe: Describe<C>): ActivityRule<C> {
  return { record: true, describe };
}

/**
 * HOW EVERY REQUEST CHANNEL IS RECORDED IN THE ACTIVITY LOG (issue #15). Adding a channel to
 * the contract? Add it here too; TypeScript refuses the build until you do, and
 * `activity-rules.test.ts` checks the table against the contract at run time.
 *
 * - A channel that only reads (lists, details, previews, statuses, dry runs such as a conflict
 *   check or a connection test): `reads`.
 * - A channel that steers work already recorded (pause, resume, cancel, retry): `controls`.
 * - A channel that changes anything (in a bucket, on the local disk, in the app's settings, the
 *   keychain, or that makes a link): `change((input, output) => ({ kind, accountId, bucket, what }))`.
 *   `what` names things ("Delete a.jpg from photos"), using `nameList`/`place`/`shortName` so
 *   that long key lists stay short. NEVER copy the input whole or name a secret: no secret key,
 *   session token, password, SSE-C key, signed URL or POST form field (see activity-secrets
 *   test). A handler that returns `{ operationId }` or `{ batchId }` gets its real end recorded
 *   from `operations.finished` / `transfers.batchFinished` by the recorder: nothing to do here.
 */
export const activityRules: { [C in RequestChannel]: ActivityRule<C> } = {
  'app.info': reads,

  'accounts.list': reads,
  'accounts.save': change(({ draft }, output) => ({
    kind: 'settings',
    accountId: output?.id ?? draft.id ?? null,
    accountName: draft.name,
    bucket: null,
    what: `${draft.id ? 'Edit' : 'Add'} the account ${shortName(draft.name)}${
      draft.endpoint ? ` (${hostOf(draft.endpoint)})` : ''
    }`,
  })),
  'accounts.remove': change(({ accountId }) => ({
    kind: 'settings',
    accountId,
    bucket: null,
    what: 'Remove the account',
  })),
  'accounts.test': reads,
  'accounts.profiles': reads,
  'accounts.keychainStatus': reads,
  'accounts.inspectCertificate': reads,

  'buckets.list': reads,
  'buckets.create': change(({ accountId, name, region, objectLock }) => ({
    kind: 'create',
    accountId,
    bucket: name,
    what: `Create the bucket ${name}${region ? ` in ${region}` : ''}${objectLock ? ' with Object Lock' : ''}`,
  })),
  'buckets.delete': change(({ accountId, name }) => ({
    kind: 'delete',
    accountId,
    bucket: name,
    what: `Delete the empty bucket ${name}`,
  })),
  'buckets.deleteWithContents': change(({ accountId, name }) => ({
    kind: 'delete',
    accountId,
    bucket: name,
    what: `Delete the bucket ${name} and everything in it`,
  })),

  'objects.list': reads,
  'objects.delete': change(({ accountId, bucket, keys }) => ({
    kind: 'delete',
    accountId,
    bucket,
    what: `Delete ${nameList(keys)} from ${bucket}`,
  })),
  'objects.conflicts': reads,
  'objects.transfer': change(({ accountId, mode, sourceBucket, items, targetBucket, targetPrefix }) => ({
    kind: mode,
    accountId,
    bucket: sourceBucket,
    what: `${mode === 'move' ? 'Move' : 'Copy'} ${nameList(items)} from ${sourceBucket} to ${place(targetBucket, targetPrefix)}`,
  })),
  'objects.rename': change(({ accountId, bucket, key, newName }) => ({
    kind: 'rename',
    accountId,
    bucket,
    what: `Rename ${shortName(key)} in ${bucket} to ${shortName(newName)}`,
  })),
  'operations.cancel': controls,
  'folders.create': change(({ accountId, bucket, parent, name }) => ({
    kind: 'create',
    accountId,
    bucket,
    what: `Create the folder ${shortName(name)} in ${place(bucket, parent)}`,
  })),

  'transfers.list': reads,
  'transfers.openSpool': reads,
  'transfers.uploadConflicts': reads,
  'transfers.upload': change(({ accountId, bucket, prefix, source }, output) => ({
    kind: 'upload',
    accountId,
    bucket,
    what: `Upload ${
      source.kind === 'paths'
        ? nameList(source.paths.map(baseName))
        : output
          ? `${count(output.count, 'file')} from the browser`
          : 'files from the browser'
    } to ${place(bucket, prefix)}`,
  })),
  'transfers.download': change(({ accountId, bucket, items, versionId, targetDir }) => ({
    kind: 'download',
    accountId,
    bucket,
    what: `Download ${nameList(items)}${versionId ? ' (an earlier version)' : ''} from ${bucket} to ${shortName(targetDir)}`,
  })),
  'transfers.dragOut': change(({ accountId, bucket, keys }) => ({
    kind: 'download',
    accountId,
    bucket,
    what: `Drag ${nameList(keys)} out of ${bucket}`,
  })),
  'transfers.copyAcross': change(({ mode, source, target }) => ({
    kind: mode,
    accountId: source.accountId,
    bucket: source.bucket,
    what: `${mode === 'move' ? 'Move' : 'Copy'} ${nameList(source.items)} from ${source.bucket} to ${place(target.bucket, target.prefix)}${
      target.accountId === source.accountId ? '' : ' in another account'
    }`,
  })),
  'transfers.pause': controls,
  'transfers.resume': controls,
  'transfers.cancel': controls,
  'transfers.retry': controls,
  'transfers.clearFinished': controls,
  'transfers.reveal': reads,
  'transfers.defaultDownloadDir': reads,
  'transfers.chooseFolder': reads,
  'transfers.downloadsRoot': reads,
  'transfers.chooseDownloadsRoot': change(({ reset }, output) => ({
    kind: 'settings',
    accountId: null,
    bucket: null,
    what: reset
      ? 'Set the downloads folder back to the OS Downloads folder'
      : `Choose the downloads folder${output ? `: ${shortName(output.path)}` : ''}`,
  })),
  'transfers.settings': reads,
  'transfers.saveSettings': change(({ settings }) => ({
    kind: 'settings',
    accountId: null,
    bucket: null,
    what:
      `Change the transfer settings: multipart from ${settings.multipartThresholdMiB} MiB, parts of ${settings.partSizeMiB} MiB, ` +
      `${settings.partsInParallel} parts and ${settings.filesInParallel} files at once, ${settings.maxRetries} retries`,
  })),
  'transfers.orphanedUploads': reads,
  'transfers.abortOrphaned': change(({ accountId, bucket, uploads }) => ({
    kind: 'delete',
    accountId,
    bucket,
    what: `Abort ${count(uploads.length, 'unfinished upload')} in ${bucket}: ${nameList(uploads.map((u) => u.key))}`,
  })),

  'share.getLinks': change(({ accountId, bucket, keys, expiresInSeconds }) => ({
    kind: 'link',
    accountId,
    bucket,
    what: `Make ${keys.length === 1 ? 'a download link' : `${keys.length} download links`} for ${nameList(keys)} in ${bucket}, valid ${duration(expiresInSeconds)}`,
  })),
  'share.putLink': change(({ accountId, bucket, key, expiresInSeconds }) => ({
    kind: 'link',
    accountId,
    bucket,
    what: `Make an upload link for ${shortName(key)} in ${bucket}, valid ${duration(expiresInSeconds)}`,
  })),
  'share.postPolicy': change(({ accountId, bucket, keyPrefix, expiresInSeconds }) => ({
    kind: 'link',
    accountId,
    bucket,
    what: `Make an upload form for ${place(bucket, keyPrefix)}, valid ${duration(expiresInSeconds)}`,
  })),
  'share.dropBox': change(({ accountId, bucket, prefix, expiresInSeconds }) => ({
    kind: 'link',
    accountId,
    bucket,
    what: `Make a drop box for ${place(bucket, prefix)}, valid ${duration(expiresInSeconds)}`,
  })),
  'share.dropBoxCors': reads,
  'share.allowDropBoxCors': change(({ accountId, bucket }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what: `Add the drop box's CORS rule to ${bucket}`,
  })),
  'share.saveDropBoxPage': change((_input, output) => ({
    kind: 'link',
    accountId: null,
    bucket: null,
    what: output?.saved
      ? `Save a drop box's upload page to ${shortName(output.saved)}`
      : "Save a drop box's upload page",
  })),
  'share.setAccess': change(({ accountId, bucket, keys, access }) => ({
    kind: 'edit',
    accountId,
    bucket,
    what: `Make ${nameList(keys)} in ${bucket} ${access === 'public-read' ? 'public' : 'private'}`,
  })),
  'share.urls': reads,
  'share.history': reads,
  'share.clearHistory': change(() => ({
    kind: 'link',
    accountId: null,
    bucket: null,
    what: 'Clear the list of share links made',
  })),

  'details.object': reads,
  'details.editObjects': change(({ accountId, bucket, keys, edit }) => ({
    kind: 'edit',
    accountId,
    bucket,
    what: `Edit ${editedFields(edit).join(', ') || 'the properties'} of ${nameList(keys)} in ${bucket}`,
  })),
  'details.setTags': change(({ accountId, bucket, keys, tags }) => ({
    kind: 'edit',
    accountId,
    bucket,
    what: `${tags.length === 0 ? 'Remove the tags' : `Set ${count(tags.length, 'tag')}`} of ${nameList(keys)} in ${bucket}`,
  })),
  'details.bucket': reads,
  'details.setVersioning': change(({ accountId, bucket, status }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what: `${status === 'enabled' ? 'Turn on' : 'Suspend'} versioning of ${bucket}`,
  })),
  // Bucket settings (issue #16): what changed, never the policy's text or a tag's value.
  'bucketSettings.policy': reads,
  'bucketSettings.setPolicy': change(({ accountId, bucket, exposureConfirmed }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what: `Set the bucket policy of ${bucket}${exposureConfirmed ? ' (open to anyone, confirmed)' : ''}`,
  })),
  'bucketSettings.deletePolicy': change(({ accountId, bucket }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what: `Delete the bucket policy of ${bucket}`,
  })),
  'bucketSettings.publicAccess': reads,
  'bucketSettings.setPublicAccess': change(({ accountId, bucket, flags }) => {
    const on = Object.values(flags).filter(Boolean).length;
    return { kind: 'settings', accountId, bucket, what: `Set Block Public Access of ${bucket} (${on} of 4 on)` };
  }),
  'bucketSettings.accountPublicAccess': reads,
  // Account-wide (S3 Control): for every bucket of the AWS account; the bucket is where it was set from.
  'bucketSettings.setAccountPublicAccess': change(({ accountId, bucket, flags }) => {
    const on = Object.values(flags).filter(Boolean).length;
    return {
      kind: 'settings',
      accountId,
      bucket,
      what: `Set Block Public Access for the whole account (${on} of 4 on), from ${bucket}`,
    };
  }),
  'bucketSettings.encryption': reads,
  'bucketSettings.setEncryption': change(({ accountId, bucket, encryption }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what:
      encryption.mode === 'none'
        ? `Remove the default encryption of ${bucket}`
        : `Set the default encryption of ${bucket} to ${encryption.mode}`,
  })),
  'bucketSettings.tags': reads,
  'bucketSettings.setTags': change(({ accountId, bucket, tags }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what: tags.length === 0 ? `Remove the tags of ${bucket}` : `Set ${count(tags.length, 'tag')} on ${bucket}`,
  })),
  'bucketSettings.acl': reads,
  'bucketSettings.setAcl': change(({ accountId, bucket, acl }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what: `Set the access list of ${bucket} to ${acl}`,
  })),
  // Bucket rules (issue #16): which rules were set, never their origins, prefixes or tags.
  'cors.get': reads,
  'cors.put': change(({ accountId, bucket, rules, confirmedExposure }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what:
      rules.length === 0
        ? `Remove the CORS rules of ${bucket}`
        : `Set ${count(rules.length, 'CORS rule')} on ${bucket}${confirmedExposure ? ' (any origin, confirmed)' : ''}`,
  })),
  'lifecycle.get': reads,
  'lifecycle.put': change(({ accountId, bucket, rules, confirmedExpiry }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what:
      rules.length === 0
        ? `Remove the lifecycle rules of ${bucket}`
        : `Set ${count(rules.length, 'lifecycle rule')} on ${bucket}${
            confirmedExpiry.length > 0 ? ` (${count(confirmedExpiry.length, 'expiring rule')} confirmed)` : ''
          }`,
  })),
  'lifecycle.preview': reads,
  'lifecycle.cancelPreview': controls,
  'objectLock.get': reads,
  'objectLock.putDefault': change(({ accountId, bucket, defaultRetention }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what: defaultRetention
      ? `Set the default retention of ${bucket} to ${defaultRetention.mode}, ${defaultRetention.amount} ${defaultRetention.unit}`
      : `Remove the default retention of ${bucket}`,
  })),
  'objectLock.getObject': reads,
  'objectLock.putRetention': change(({ accountId, bucket, key, retention }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what: retention
      ? `Lock ${baseName(key)} in ${bucket} (${retention.mode}) until ${retention.until}`
      : `Remove the retention of ${baseName(key)} in ${bucket}`,
  })),
  'objectLock.putLegalHold': change(({ accountId, bucket, key, on }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what: `${on ? 'Put' : 'Lift'} a legal hold on ${baseName(key)} in ${bucket}`,
  })),
  'website.get': reads,
  'website.put': change(({ accountId, bucket, config }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what:
      config.mode === 'redirect'
        ? `Set the website of ${bucket} to redirect every request`
        : `Set the website of ${bucket} (index ${shortName(config.indexDocument)})`,
  })),
  'website.delete': change(({ accountId, bucket }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what: `Turn off the website of ${bucket}`,
  })),
  'details.folderSize': reads,
  'details.previewText': reads,
  'details.previewUrl': reads,
  'sse.status': reads,
  'sse.setKey': change(({ accountId }) => ({
    kind: 'settings',
    accountId,
    bucket: null,
    what: 'Save an SSE-C key',
  })),
  'sse.removeKey': change(({ accountId }) => ({
    kind: 'settings',
    accountId,
    bucket: null,
    what: 'Remove the SSE-C key',
  })),

  'capabilities.get': reads,
  'links.takePending': reads,

  'versions.list': reads,
  'versions.restore': change(({ accountId, bucket, key }) => ({
    kind: 'restore',
    accountId,
    bucket,
    what: `Restore an earlier version of ${shortName(key)} in ${bucket}`,
  })),
  'versions.delete': change(({ accountId, bucket, key }) => ({
    kind: 'delete',
    accountId,
    bucket,
    what: `Delete a version of ${shortName(key)} in ${bucket} for good`,
  })),
  'versions.bucketState': reads,
  'versions.listDeleted': reads,
  'versions.undelete': change(({ accountId, bucket, items }) => ({
    kind: 'restore',
    accountId,
    bucket,
    what: `Undelete ${nameList(items)} in ${bucket}`,
  })),
  'versions.countForGood': reads,
  'versions.deleteForGood': change(({ accountId, bucket, items }) => ({
    kind: 'delete',
    accountId,
    bucket,
    what: `Delete every version of ${nameList(items)} in ${bucket} for good`,
  })),

  'updates.status': reads,
  'updates.setEnabled': change(({ enabled }) => ({
    kind: 'settings',
    accountId: null,
    bucket: null,
    what: `Turn ${enabled ? 'on' : 'off'} the daily check for updates`,
  })),
  'updates.install': change(() => ({
    kind: 'settings',
    accountId: null,
    bucket: null,
    what: 'Restart to install an update',
  })),

  'bookmarks.list': reads,
  'bookmarks.add': change(({ accountId, bucket, prefix, name }) => ({
    kind: 'settings',
    accountId,
    bucket,
    what: `Bookmark ${place(bucket, prefix)}${name ? ` as ${shortName(name)}` : ''}`,
  })),
  'bookmarks.rename': change(({ name }) => ({
    kind: 'settings',
    accountId: null,
    bucket: null,
    what: `Rename a bookmark to ${shortName(name)}`,
  })),
  'bookmarks.move': change(({ toIndex }) => ({
    kind: 'settings',
    accountId: null,
    bucket: null,
    what: `Move a bookmark to place ${toIndex + 1}`,
  })),
  'bookmarks.remove': change(() => ({
    kind: 'settings',
    accountId: null,
    bucket: null,
    what: 'Remove a bookmark',
  })),

  'sync.preview': reads,
  'sync.cancelPreview': controls,
  'sync.previewRows': reads,
  'sync.discardPreview': reads,
  // Its end is the transfer batch's (batchId); deletes are their own operation's entry.
  'sync.run': change((_input, output) => ({
    kind: output?.direction ?? 'upload',
    accountId: output?.accountId ?? null,
    bucket: output?.bucket ?? null,
    what: output
      ? `Sync ${output.direction === 'upload' ? `${baseName(output.localDir)} to ${place(output.bucket, output.prefix)}` : `${place(output.bucket, output.prefix)} to ${baseName(output.localDir)}`}: ${count(output.transfers, 'file')} to copy, ${count(output.deletes, 'delete')}`
      : 'Sync a folder',
  })),
  'sync.pairs': reads,
  'sync.savePair': change(({ name, spec }) => ({
    kind: 'settings',
    accountId: spec.accountId,
    bucket: spec.bucket,
    what: `Save the sync pair ${shortName(name)}`,
  })),
  'sync.removePair': change(() => ({ kind: 'settings', accountId: null, bucket: null, what: 'Remove a sync pair' })),
  'edit.list': reads,
  'edit.open': change(({ accountId, bucket, key, app }) => ({
    kind: 'edit',
    accountId,
    bucket,
    what: `Open ${shortName(key)} from ${bucket} ${app === 'choose' ? 'in a chosen app' : 'in its default app'} to edit it`,
  })),
  'edit.download': change(({ accountId, bucket, key }) => ({
    kind: 'edit',
    accountId,
    bucket,
    what: `Download ${shortName(key)} from ${bucket} to edit it`,
  })),
  'edit.uploadChanges': change((_input, output) => ({
    kind: 'edit',
    accountId: output?.accountId ?? null,
    bucket: output?.bucket ?? null,
    what: output
      ? `Upload changes to ${shortName(output.key)} in ${output.bucket}: ${output.state === 'uploaded' ? 'uploaded' : output.state === 'conflict' ? 'not uploaded, it changed on the server' : 'not uploaded'}`
      : 'Upload changes to a file being edited',
  })),
  'edit.resolve': change(({ choice }, output) => ({
    kind: 'edit',
    accountId: output?.session?.accountId ?? null,
    bucket: output?.session?.bucket ?? null,
    what: {
      overwrite: 'Overwrite a change made on the server with my edit',
      'save-copy': `Save my edit as a copy${output?.session?.copyKey ? `: ${shortName(output.session.copyKey)}` : ''}`,
      discard: 'Discard my edit of a file changed on the server',
      'keep-editing': 'Keep editing a file changed on the server',
    }[choice],
  })),
  'edit.stop': controls,

  'activity.list': reads,
  'activity.export': reads,
  'activity.saveExport': reads,
  'activity.clear': change(() => ({
    kind: 'settings',
    accountId: null,
    bucket: null,
    what: 'Clear the activity log',
  })),
};

/** "for 1 hour", "for 7 days": how long a link works. */
function duration(seconds: number): string {
  if (seconds % 86_400 === 0) return `for ${count(seconds / 86_400, 'day')}`;
  if (seconds % 3600 === 0) return `for ${count(seconds / 3600, 'hour')}`;
  if (seconds % 60 === 0) return `for ${count(seconds / 60, 'minute')}`;
  return `for ${count(seconds, 'second')}`;
}

/** The names of the properties an edit changes (never their values: a header may hold anything). */
function editedFields(edit: ParsedInput<'details.editObjects'>['edit']): string[] {
  const names: Record<string, string> = {
    contentType: 'Content-Type',
    cacheControl: 'Cache-Control',
    contentDisposition: 'Content-Disposition',
    contentEncoding: 'Content-Encoding',
    contentLanguage: 'Content-Language',
    expires: 'Expires',
    metadata: 'metadata',
    storageClass: 'storage class',
  };
  return Object.entries(edit)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => names[field] ?? field);
}
