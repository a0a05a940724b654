import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { transferSettingsSchema, type TransferSettings } from '../../../shared/transfers';
import { writeFileAtomic } from '../storage/atomic-file';

/**
 * The queue's defaults, chosen with `npm run bench` against a local MinIO (docs/benchmarks.md):
 * 8 MiB parts, 4 at once, moved a 256 MiB file up as fast as 16 MiB × 4, 16 MiB × 8 or
 * 32 MiB × 4 on 2 cores (within the run-to-run noise) with the least memory (part buffers are
 * reused: 32 MiB per file); downloads ask for ranges of at least 32 MiB whatever the part size.
 * A 16 MiB threshold keeps small files to one request; small files run more at once than large
 * ones (transfer-queue.ts, parallelLimits). 5 retries (backoff from 0.5 s, doubling) ride out
 * 8 to 15 s of trouble.
 */
export const defaultTransferSettings: TransferSettings = {
  multipartThresholdMiB: 16,
  partSizeMiB: 8,
  partsInParallel: 4,
  filesInParallel: 3,
  maxRetries: 5,
};

/**
 * Transfer settings in their own file (dataDir/transfers-settings.json), written atomically:
 * the queue's tuning, and the downloads root (the folder a browser's downloads must stay in),
 * which only the desktop app's folder picker changes.
 */
export interface TransferSettingsStore {
  /** Reads the file once; the defaults when it is missing or unreadable. */
  load(): Promise<TransferSettings>;
  /** The settings now (the defaults until loaded). */
  current(): TransferSettings;
  save(settings: TransferSettings): Promise<TransferSettings>;
  /** The downloads root the person chose; null for the OS Downloads folder. */
  downloadsRoot(): string | null;
  /** Keeps a new downloads root (an absolute path), or null to go back to the OS Downloads folder. */
  saveDownloadsRoot(path: string | null): Promise<void>;
}

/** A settings store over one JSON file; saves are serialized. */
export function createTransferSettingsStore(file: string): TransferSettingsStore {
  let settings: TransferSettings = { ...defaultTransferSettings };
  let root: string | null = null;
  let loaded: Promise<TransferSettings> | undefined;
  let saving: Promise<unknown> = Promise.resolve();
  const write = async (nextSettings: TransferSettings, nextRoot: string | null) => {
    const text = `${JSON.stringify({ ...nextSettings, ...(nextRoot !== null ? { downloadsRoot: nextRoot } : {}) }, null, 2)}\n`;
    const written = saving.then(() => writeFileAtomic(file, text));
    saving = written.catch(() => undefined);
    await written;
  };
  return {
    load() {
      loaded ??= readFile(file, 'utf8')
        .then((text) => {
          const { downloadsRoot, ...tuning } = JSON.parse(text) as Record<string, unknown>;
          // A root that is not an absolute path is ignored: downloads then stay in the OS Downloads folder.
          root = typeof downloadsRoot === 'string' && isAbsolute(downloadsRoot) ? downloadsRoot : null;
          return transferSettingsSchema.parse({ ...defaultTransferSettings, ...tuning });
        })
        .catch(() => ({ ...defaultTransferSettings }))
        .then((read) => (settings = read));
      return loaded;
    },
    current: () => settings,
    async save(next) {
      const valid = transferSettingsSchema.parse(next);
      await write(valid, root);
      settings = valid;
      return valid;
    },
    downloadsRoot: () => root,
    async saveDownloadsRoot(path) {
      if (path !== null && !isAbsolute(path)) throw new Error('The downloads root must be an absolute path.');
      await write(settings, path);
      root = path;
    },
  };
}
