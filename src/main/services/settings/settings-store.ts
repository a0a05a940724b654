import { copyFile, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { accountSettingsSchema } from '../../../shared/accounts';
import { writeFileAtomic } from '../storage/atomic-file';

const settingsSchema = z.object({
  version: z.literal(1),
  accounts: z.array(accountSettingsSchema),
});

/** Everything the app keeps in its settings file; secrets never go here (they live in the keychain). */
export type Settings = z.infer<typeof settingsSchema>;

/** Reads and writes the settings file, one change at a time. */
export interface SettingsStore {
  read(): Promise<Settings>;
  /** Applies a change to the current settings and writes the result atomically; returns it. */
  update(change: (settings: Settings) => Settings): Promise<Settings>;
}

const empty: Settings = { version: 1, accounts: [] };

/**
 * A settings store backed by one JSON file. A file that cannot be read as settings is
 * copied aside (settings.json.corrupt-<time>) rather than overwritten, so nothing is lost.
 */
export function createSettingsStore(file: string, now: () => Date = () => new Date()): SettingsStore {
  let queue: Promise<unknown> = Promise.resolve();

  async function read(): Promise<Settings> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(empty);
      throw error;
    }
    try {
      return settingsSchema.parse(JSON.parse(text));
    } catch {
      await copyFile(file, `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`);
      return structuredClone(empty);
    }
  }

  return {
    read,
    update(change) {
      // Serialize updates: two quick saves must not both start from the same old state.
      const next = queue.then(async () => {
        const updated = settingsSchema.parse(change(await read()));
        await writeFileAtomic(file, `${JSON.stringify(updated, null, 2)}\n`);
        return updated;
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
