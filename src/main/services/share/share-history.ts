import { readFile, rename } from 'node:fs/promises';
import { z } from 'zod';
import type { ShareLink } from '../../../shared/share';
import { writeFileAtomic } from '../storage/atomic-file';

/** How many links the list keeps; older ones drop off the end. */
export const SHARE_HISTORY_LIMIT = 500;

/**
 * One stored link. Loose, so a POST policy's fields and form survive; a stored URL holds the
 * access key id and a signature, never a secret key or a session token (see carriesSessionToken).
 */
const storedLinkSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['get', 'put', 'post']),
    bucket: z.string(),
    key: z.string(),
    url: z.string(),
    expiresAt: z.string(),
    limitedBy: z.enum(['expiry', 'credentials']),
    notes: z.array(z.string()),
    createdAt: z.string(),
  })
  .loose();

const fileSchema = z.object({ version: z.literal(1), links: z.array(storedLinkSchema) });

/**
 * Whether a link carries temporary credentials' session token (X-Amz-Security-Token), which it
 * needs to work. A session token is a credential, so such a link is never written to disk.
 */
export function carriesSessionToken(link: ShareLink): boolean {
  const fields = (link as { fields?: Record<string, string> }).fields ?? {};
  return (
    /[?&]x-amz-security-token=/i.test(link.url) ||
    Object.keys(fields).some((name) => name.toLowerCase() === 'x-amz-security-token')
  );
}

/** Newest first, by creation time. */
const newestFirst = (a: ShareLink, b: ShareLink) =>
  a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0;

/**
 * The links made so far, newest first, in one JSON file in the data folder, written atomically
 * and one change at a time. An unreadable file is moved aside, never overwritten silently.
 * Links signed with temporary credentials are kept in memory only (they die with the
 * credentials anyway), so no session token reaches the disk.
 */
export function createShareHistory(file: string, limit = SHARE_HISTORY_LIMIT) {
  let queue: Promise<unknown> = Promise.resolve();
  let sessionOnly: ShareLink[] = [];

  /** Runs changes one after another, so two quick batches of links never overwrite each other. */
  function serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  }

  async function read(): Promise<ShareLink[]> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      return fileSchema.parse(JSON.parse(text)).links as ShareLink[];
    } catch {
      await rename(file, `${file}.unreadable-${Date.now()}`);
      return [];
    }
  }

  const write = (links: readonly ShareLink[]) =>
    writeFileAtomic(file, `${JSON.stringify({ version: 1, links }, null, 2)}\n`);

  return {
    /** Every link kept, newest first. */
    list: () =>
      serialized(async () =>
        sessionOnly.length === 0 ? read() : [...sessionOnly, ...(await read())].sort(newestFirst).slice(0, limit),
      ),
    /** Adds the links of one request at the front (in the order they were made), keeping at most the limit. */
    add: (links: readonly ShareLink[]) =>
      serialized(async () => {
        const withToken = links.filter(carriesSessionToken);
        const stored = links.filter((link) => !carriesSessionToken(link));
        sessionOnly = [...withToken, ...sessionOnly].slice(0, limit);
        if (stored.length > 0) await write([...stored, ...(await read())].slice(0, limit));
      }),
    /** Forgets every link; returns how many there were. */
    clear: () =>
      serialized(async () => {
        const count = (await read()).length + sessionOnly.length;
        sessionOnly = [];
        await write([]);
        return count;
      }),
  };
}

/** The share history's interface. */
export type ShareHistory = ReturnType<typeof createShareHistory>;
