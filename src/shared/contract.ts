import { z } from 'zod';
import { event, request } from './contract-spec';
import { bookmarkEvents, bookmarkRequests } from './bookmarks-contract';
import { activityEvents, activityRequests } from './activity-contract';
import { bucketSettingsRequests } from './bucket-settings-contract';
import { bucketRulesEvents, bucketRulesRequests } from './bucket-rules-contract';
import { capabilityEvents, capabilityRequests } from './capabilities-contract';
import { detailsEvents, detailsRequests } from './details-contract';
import { editEvents, editRequests } from './edit-contract';
import { linkEvents, linkRequests } from './links-contract';
import { updateEvents, updateRequests } from './updates-contract';
import { shareRequests } from './share-contract';
import { encryptionChoiceSchema } from './transfers';
import { transferEvents, transferRequests } from './transfers-contract';
import { versionRequests } from './versions-contract';
import { syncEvents, syncRequests } from './sync-contract';
import {
  accountDraftSchema,
  type AccountSummary,
  type AwsProfileSummary,
  type CertificateSummary,
  type ConnectionTestReport,
  type KeychainStatus,
} from './accounts';
import type { AppInfo, BucketSummary } from './models';
import type { OperationOutcome, OperationProgress } from './operations';
import {
  bucketNameSchema,
  folderNameSchema,
  itemNameSchema,
  listObjectsInputSchema,
  type ListingPage,
  type TransferConflicts,
} from './objects';

export { event, request, type EventSpec, type RequestSpec } from './contract-spec';

/**
 * The single source of truth for every request and event between the UI and main.
 * Channel names are `domain.verb`; each request has a zod schema for its one object
 * argument and a result type; each event has a payload type. Hosts, the preload and the
 * browser client are generic over these maps, so adding a channel never touches them.
 */

const accountId = z.string().min(1).max(200);
const bucket = z.string().min(1).max(255);
const items = z.array(z.string().min(1).max(1024)).min(1, 'Select something first.').max(10_000);
const conflictChoice = z.enum(['replace', 'skip', 'keep-both']);

/** Every request channel. */
export const requests = {
  'app.info': request<AppInfo>()(z.object({}).strict()),
  'accounts.list': request<AccountSummary[]>()(z.object({}).strict()),
  'accounts.save': request<AccountSummary>()(z.object({ draft: accountDraftSchema }).strict()),
  'accounts.remove': request<{ removed: true }>()(z.object({ accountId }).strict()),
  'accounts.test': request<ConnectionTestReport>()(z.object({ draft: accountDraftSchema }).strict()),
  'accounts.profiles': request<AwsProfileSummary[]>()(z.object({}).strict()),
  'accounts.keychainStatus': request<KeychainStatus>()(z.object({}).strict()),
  'accounts.inspectCertificate': request<CertificateSummary>()(
    z.object({ endpoint: z.string().url().max(2048) }).strict(),
  ),
  'buckets.list': request<BucketSummary[]>()(z.object({ accountId }).strict()),
  'buckets.create': request<{ name: string }>()(
    z
      .object({
        accountId,
        name: bucketNameSchema,
        region: z.string().max(64).default(''),
        /** Created with Object Lock (which also turns versioning on); it cannot be turned off later. */
        objectLock: z.boolean().default(false),
      })
      .strict(),
  ),
  'buckets.delete': request<{ deleted: true }>()(z.object({ accountId, name: z.string().min(1).max(255) }).strict()),
  /** Deletes a bucket and everything in it (all versions too); the UI asks for the typed name first. */
  'buckets.deleteWithContents': request<{ operationId: string }>()(
    z.object({ accountId, name: bucket, confirmName: bucket }).strict(),
  ),
  'objects.list': request<ListingPage>()(listObjectsInputSchema),
  /** Deletes files and folders (keys ending in '/', recursively); returns at once, progress follows as events. */
  'objects.delete': request<{ operationId: string }>()(
    z
      .object({
        accountId,
        bucket: z.string().min(1).max(255),
        keys: z.array(z.string().min(1).max(1024)).min(1, 'Select something to delete.').max(10_000),
      })
      .strict(),
  ),
  /**
   * Which of the items already exist at the destination, and which would land on the same name
   * as each other, so the UI can ask before a copy or move.
   */
  'objects.conflicts': request<TransferConflicts>()(
    z
      .object({ accountId, sourceBucket: bucket, items, targetBucket: bucket, targetPrefix: z.string().max(1024) })
      .strict(),
  ),
  /** Copies or moves files and folders server-side; returns at once, progress follows as events. */
  'objects.transfer': request<{ operationId: string }>()(
    z
      .object({
        accountId,
        mode: z.enum(['copy', 'move']),
        sourceBucket: bucket,
        items,
        targetBucket: bucket,
        targetPrefix: z.string().max(1024),
        onConflict: conflictChoice,
        /** Absent = each copy keeps its original's encryption. */
        encryption: encryptionChoiceSchema.optional(),
      })
      .strict(),
  ),
  /** Renames a file or folder (a move within its folder); refuses a name that exists. */
  'objects.rename': request<{ operationId: string }>()(
    z.object({ accountId, bucket, key: z.string().min(1).max(1024), newName: itemNameSchema }).strict(),
  ),
  'operations.cancel': request<{ cancelled: boolean }>()(z.object({ operationId: z.string().uuid() }).strict()),
  'folders.create': request<{ key: string }>()(
    z
      .object({ accountId, bucket: z.string().min(1).max(255), parent: z.string().max(1024), name: folderNameSchema })
      .strict(),
  ),
  ...transferRequests,
  ...shareRequests,
  ...detailsRequests,
  ...capabilityRequests,
  ...linkRequests,
  ...versionRequests,
  ...updateRequests,
  ...bookmarkRequests,
  ...activityRequests,
  ...bucketSettingsRequests,
  ...syncRequests,
  ...editRequests,
  ...bucketRulesRequests,
} as const;

/** Every event channel, sent from main to the renderer. */
export const events = {
  'accounts.changed': event<{ accounts: AccountSummary[] }>(),
  /** Something the app did changed a folder (or, with prefix null, the bucket list): views refresh. */
  'objects.changed': event<{ accountId: string; bucket: string | null; prefix: string | null }>(),
  'operations.progress': event<OperationProgress>(),
  'operations.finished': event<OperationOutcome>(),
  ...transferEvents,
  ...detailsEvents,
  ...capabilityEvents,
  ...linkEvents,
  ...updateEvents,
  ...bookmarkEvents,
  ...activityEvents,
  ...syncEvents,
  ...editEvents,
  ...bucketRulesEvents,
} as const;

/** The name of a request channel. */
export type RequestChannel = keyof typeof requests;
/** The name of an event channel. */
export type EventChannel = keyof typeof events;
/** What a caller passes to a request channel (before schema defaults). */
export type RequestInput<C extends RequestChannel> = z.input<(typeof requests)[C]['input']>;
/** What a handler receives: the input after schema validation. */
export type ParsedInput<C extends RequestChannel> = z.output<(typeof requests)[C]['input']>;
/** What a request channel returns on success. */
export type RequestOutput<C extends RequestChannel> = NonNullable<(typeof requests)[C]['output']>;
/** The payload of an event channel. */
export type EventPayload<C extends EventChannel> = NonNullable<(typeof events)[C]['payload']>;

/** Tells whether a string names a request channel (own property only: no prototype tricks). */
export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && Object.hasOwn(requests, name);
}

/** Tells whether a string names an event channel. */
export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
