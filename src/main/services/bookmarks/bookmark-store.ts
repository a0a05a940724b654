import { copyFile, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { bookmarkSchema, type Bookmark } from '../../../shared/bookmarks-contract';
import { writeFileAtomic } from '../storage/atomic-file';

/** The file's outline: entries are checked one by one, so one bad entry hides none of the others. */
const fileSchema = z.object({
  version: z.literal(1),
  bookmarks: z.array(z.unknown()),
  /** Entries that did not match the schema when read (a newer version's, a hand edit): kept, never dropped. */
  setAside: z.array(z.unknown()).optional(),
});

/** What bookmarks.json holds. */
interface BookmarksFile {
  bookmarks: Bookmark[];
  setAside: unknown[];
}

/** Reads and writes bookmarks.json, one change at a time. */
export interface BookmarkStore {
  /** The bookmarks, in order. */
  read(): Promise<Bookmark[]>;
  /** Applies a change to the list and writes the result atomically; returns it. A change that throws writes nothing. */
  update(change: (list: Bookmark[]) => Bookmark[]): Promise<Bookmark[]>;
}

/**
 * A bookmark store over one JSON file, as the settings store is: written atomically (temporary
 * file, fsync, rename), changes serialized so two quick edits never start from the same list. A
 * file that is not bookmarks JSON is copied aside once (bookmarks.json.corrupt-<time>) and reads
 * as empty until written; an entry that does not match the schema is kept in `setAside`.
 */
export function createBookmarkStore(file: string, now: () => Date = () => new Date()): BookmarkStore {
  let queue: Promise<unknown> = Promise.resolve();
  let copiedText: string | undefined;

  async function load(): Promise<BookmarksFile> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { bookmarks: [], setAside: [] };
      throw error;
    }
    let outline: z.infer<typeof fileSchema>;
    try {
      outline = fileSchema.parse(JSON.parse(text));
    } catch {
      if (copiedText !== text) {
        await copyFile(file, `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`);
        copiedText = text;
      }
      return { bookmarks: [], setAside: [] };
    }
    const bookmarks: Bookmark[] = [];
    const setAside = [...(outline.setAside ?? [])];
    for (const entry of outline.bookmarks) {
      const parsed = bookmarkSchema.safeParse(entry);
      if (parsed.success) bookmarks.push(parsed.data);
      else setAside.push(entry);
    }
    return { bookmarks, setAside };
  }

  return {
    read: async () => (await load()).bookmarks,
    update(change) {
      const next = queue.then(async () => {
        const current = await load();
        const bookmarks = z.array(bookmarkSchema).parse(change(current.bookmarks));
        const written = {
          version: 1,
          bookmarks,
          ...(current.setAside.length > 0 ? { setAside: current.setAside } : {}),
        };
        await writeFileAtomic(file, `${JSON.stringify(written, null, 2)}\n`);
        return bookmarks;
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
