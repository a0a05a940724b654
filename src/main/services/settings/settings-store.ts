import { copyFile, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { accountSettingsSchema } from '../../../shared/accounts';
import { writeFileAtomic } from '../storage/atomic-file';

/**
 * An account entry that did not match the schema when the file was read (written by a newer
 * version, or edited by hand): kept as it was, with why, so that nothing is lost and the
 * other accounts still load.
 */
const setAsideAccountSchema = z.object({ entry: z.unknown(), reason: z.string() });

const settingsSchema = z.object({
  version: z.literal(1),
  accounts: z.array(accountSettingsSchema),
  setAsideAccounts: z.array(setAsideAccountSchema).optional(),
});

/** The file's outline, each account still unchecked: one bad entry must not hide the others. */
const settingsFileSchema = z.object({
  version: z.literal(1),
  accounts: z.array(z.unknown()),
  setAsideAccounts: z.array(setAsideAccountSchema).optional(),
});

/** Everything the app keeps in its settings file; secrets never go here (they live in the keychain). */
export type Settings = z.infer<typeof settingsSchema>;

/** An account entry set aside because it did not match the schema. */
export type SetAsideAccount = z.infer<typeof setAsideAccountSchema>;

/** What went wrong reading the settings file, for the log and for a status the UI can show. */
export interface SettingsStatus {
  /** Where an unreadable settings file was copied (it is then read as empty until written), or null. */
  copiedAside: string | null;
  /** How many account entries are set aside (kept in the file's `setAsideAccounts`). */
  setAsideAccounts: number;
  /** One sentence for a person, or null when the file was read whole. */
  message: string | null;
}

/** Reads and writes the settings file, one change at a time. */
export interface SettingsStore {
  read(): Promise<Settings>;
  /** Applies a change to the current settings and writes the result atomically; returns it. */
  update(change: (settings: Settings) => Settings): Promise<Settings>;
  /** What the last read found wrong, if anything. */
  status(): SettingsStatus;
}

const empty: Settings = { version: 1, accounts: [] };

/** Why an entry failed the schema, by field and message (never its values, which are the person's). */
function reasonOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'entry'}: ${issue.message}`)
    .join('; ');
}

/**
 * Keeps the valid accounts of a file and sets the others aside (with those set aside before),
 * instead of refusing the whole file for one bad entry.
 */
function parseAccounts(file: z.infer<typeof settingsFileSchema>): Settings {
  const accounts: Settings['accounts'] = [];
  const setAside: SetAsideAccount[] = [...(file.setAsideAccounts ?? [])];
  for (const entry of file.accounts) {
    const parsed = accountSettingsSchema.safeParse(entry);
    if (parsed.success) accounts.push(parsed.data);
    else setAside.push({ entry, reason: reasonOf(parsed.error) });
  }
  return { version: 1, accounts, ...(setAside.length > 0 ? { setAsideAccounts: setAside } : {}) };
}

/**
 * A settings store backed by one JSON file. A file that cannot be read as settings is
 * copied aside (settings.json.corrupt-<time>) rather than overwritten, once: a copy with the
 * same content already there (this session or an earlier one) is not made again, and the
 * file reads as empty until something is written. An account entry that does not match the
 * schema is set aside in `setAsideAccounts` (written back with the next change), and the
 * others load.
 */
export function createSettingsStore(file: string, now: () => Date = () => new Date()): SettingsStore {
  let queue: Promise<unknown> = Promise.resolve();
  let current: SettingsStatus = { copiedAside: null, setAsideAccounts: 0, message: null };
  /** The unreadable text last seen, and where its copy is, so that reading it again copies nothing. */
  let corrupt: { text: string; copy: string } | undefined;

  /** A copy of the unreadable text already beside the file (from an earlier session), if any. */
  async function existingCopy(text: string): Promise<string | undefined> {
    const prefix = `${basename(file)}.corrupt-`;
    const names = (await readdir(dirname(file)).catch(() => [] as string[])).filter((n) => n.startsWith(prefix));
    const size = Buffer.byteLength(text);
    for (const name of names.sort()) {
      const path = join(dirname(file), name);
      const info = await stat(path).catch(() => undefined);
      if (info?.size === size && (await readFile(path, 'utf8').catch(() => undefined)) === text) return path;
    }
    return undefined;
  }

  /** The status of a file that reads as settings: only set-aside accounts can be wrong with it. */
  function readableStatus(settings: Settings): SettingsStatus {
    const count = settings.setAsideAccounts?.length ?? 0;
    const message =
      count === 0
        ? null
        : `${count === 1 ? 'One saved account does' : `${count} saved accounts do`} not match this version's ` +
          `settings and ${count === 1 ? 'is' : 'are'} not shown; ${count === 1 ? 'it is' : 'they are'} kept in ` +
          `${basename(file)} under "setAsideAccounts".`;
    return { copiedAside: null, setAsideAccounts: count, message };
  }

  async function setAside(text: string): Promise<Settings> {
    if (corrupt?.text !== text) {
      let copy = await existingCopy(text);
      if (!copy) {
        copy = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
        await copyFile(file, copy);
      }
      corrupt = { text, copy };
    }
    current = {
      copiedAside: corrupt.copy,
      setAsideAccounts: 0,
      message: `The settings file could not be read; it was copied to ${corrupt.copy} and the app starts without saved accounts.`,
    };
    return structuredClone(empty);
  }

  async function read(): Promise<Settings> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        current = readableStatus(empty);
        return structuredClone(empty);
      }
      throw error;
    }
    let outline: z.infer<typeof settingsFileSchema>;
    try {
      outline = settingsFileSchema.parse(JSON.parse(text));
    } catch {
      return setAside(text);
    }
    const settings = parseAccounts(outline);
    current = readableStatus(settings);
    return settings;
  }

  return {
    read,
    update(change) {
      // Serialize updates: two quick saves must not both start from the same old state.
      const next = queue.then(async () => {
        const updated = settingsSchema.parse(change(await read()));
        await writeFileAtomic(file, `${JSON.stringify(updated, null, 2)}\n`);
        current = readableStatus(updated);
        return updated;
      });
      queue = next.catch(() => undefined);
      return next;
    },
    status: () => ({ ...current }),
  };
}
