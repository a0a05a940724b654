import { z } from 'zod';
import { event, request } from './contract-spec';

const accountId = z.string().min(1).max(200);
const bucket = z.string().min(1).max(255);
const fileKey = z
  .string()
  .min(1)
  .max(1024)
  .refine((key) => !key.endsWith('/'), 'Only a file can be edited, not a folder.');
const sessionId = z.string().uuid();

/**
 * Where an editing session stands: its copy being fetched, waiting for saves, a save going up,
 * the last save stored, a save refused because the object changed on the server, a failure, or
 * a copy an earlier run left with changes not uploaded (a crash, or quitting with a refused save).
 */
export type EditState = 'opening' | 'watching' | 'uploading' | 'uploaded' | 'conflict' | 'failed' | 'recovered';

/** How the file is edited: a watched private copy opened in a local app, or a browser download sent back by hand. */
export type EditMode = 'desktop' | 'browser';

/** What a person may do when the object changed on the server since it was opened. */
export const editConflictChoiceSchema = z.enum(['overwrite', 'save-copy', 'discard', 'keep-editing']);
/** One of the answers to the conflict question. */
export type EditConflictChoice = z.infer<typeof editConflictChoiceSchema>;

/** One file being edited, as the renderer shows it. */
export interface EditSession {
  id: string;
  accountId: string;
  bucket: string;
  key: string;
  /** The file's name (the key's last segment). */
  name: string;
  mode: EditMode;
  state: EditState;
  /** The ETag of the server's version this session last read or wrote: a save goes up only over it. */
  etag: string | null;
  /** How many saves were uploaded. */
  uploads: number;
  /** When the last save was stored (ISO time), or null. */
  uploadedAt: string | null;
  /** Words for the state: why it failed, what changed on the server, or where a copy was saved. */
  message: string | null;
  /** Where the last "save as a copy" landed (a key next to the original), or null. */
  copyKey: string | null;
}

/** Request channels of editing with a local app, spread into the contract. */
export const editRequests = {
  /** Every editing session of this run. */
  'edit.list': request<EditSession[]>()(z.object({}).strict()),
  /**
   * Desktop app: downloads the file into a private temporary folder, opens it with the OS's
   * default app (or one the person picks), and uploads every save while the session lasts.
   */
  'edit.open': request<EditSession>()(
    z.object({ accountId, bucket, key: fileKey, app: z.enum(['default', 'choose']).default('default') }).strict(),
  ),
  /**
   * Web mode: starts a session for the file and returns a short-lived link that downloads the
   * exact version it records; the person later sends the edited file with `edit.uploadChanges`.
   */
  'edit.download': request<{ session: EditSession; url: string }>()(
    z.object({ accountId, bucket, key: fileKey }).strict(),
  ),
  /** Web mode: uploads the one file in a spool (the edited copy) over the session's object, if it did not change. */
  'edit.uploadChanges': request<EditSession>()(z.object({ sessionId, spoolId: z.string().uuid() }).strict()),
  /**
   * Answers the conflict question of a session whose save was refused, or what to do with a
   * recovered copy ('overwrite': upload it over the version it was opened from, which asks again
   * if that changed; 'discard': remove it); `session` null where it ended.
   */
  'edit.resolve': request<{ session: EditSession | null }>()(
    z.object({ sessionId, choice: editConflictChoiceSchema }).strict(),
  ),
  /** Ends a session: stops watching and removes the private temporary copy (never any other file). */
  'edit.stop': request<{ stopped: boolean }>()(z.object({ sessionId }).strict()),
} as const;

/** Event channels of editing sessions. */
export const editEvents = {
  /** A session changed state, or ended (`ended`: it is gone from the list). */
  'edit.changed': event<{ session: EditSession; ended: boolean }>(),
} as const;
