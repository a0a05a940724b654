import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../storage/atomic-file';

/** The record's name inside a session's folder: hidden, and never a name localNameFor gives a key. */
export const RECORD_NAME = '.s3fm-session.json';

const recordSchema = z
  .object({
    version: z.literal(1),
    accountId: z.string().min(1),
    bucket: z.string().min(1),
    key: z.string().min(1),
    /** The server's ETag of the version the copy was read from or last written to. */
    etag: z.string(),
    /** SHA-256 of the bytes that version holds: a copy with other bytes has changes not uploaded. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

/**
 * What a desktop editing session writes beside its copy, so that a copy left by a crash (or by
 * quitting with a refused save) can be offered back on the next start instead of being lost or
 * silently deleted. Holds no secret: an account id, a bucket, a key and two hashes.
 */
export type SessionRecord = z.infer<typeof recordSchema>;

/** Writes (or rewrites, after an upload) a session's record, atomically. */
export async function writeSessionRecord(folder: string, record: Omit<SessionRecord, 'version'>): Promise<void> {
  await writeFileAtomic(join(folder, RECORD_NAME), JSON.stringify({ version: 1, ...record }));
}

/** A session folder left on disk by an earlier run, with its record (null where it has none that reads). */
export interface LeftoverSession {
  folder: string;
  record: SessionRecord | null;
}

/** The session folders (`session-*`) under the editing root; none where the root does not exist. */
export async function leftoverSessions(root: string): Promise<LeftoverSession[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const found: LeftoverSession[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith('session-')) continue;
    const folder = join(root, entry.name);
    const text = await readFile(join(folder, RECORD_NAME), 'utf8').catch(() => null);
    let record: SessionRecord | null = null;
    if (text !== null) {
      try {
        const parsed = recordSchema.safeParse(JSON.parse(text));
        record = parsed.success ? parsed.data : null;
      } catch {
        record = null;
      }
    }
    found.push({ folder, record });
  }
  return found;
}
