import { readFile } from 'node:fs/promises';
import { transferSettingsSchema, type TransferSettings } from '../../../shared/transfers';
import { writeFileAtomic } from '../storage/atomic-file';

/**
 * The queue's defaults, measured with test/transfer-bench.ts against a local MinIO: 8 MiB
 * parts, 4 at once, move a 200 MiB file at about 110 MiB/s up and 165 MiB/s down on loopback
 * with about 70 MiB of buffers; bigger parts were somewhat faster there but hold more memory
 * per file and lose more on a cut connection. A 16 MiB threshold keeps small files to one
 * request; 5 retries (backoff from 0.5 s, doubling) ride out 8 to 15 s of trouble.
 */
export const defaultTransferSettings: TransferSettings = {
  multipartThresholdMiB: 16,
  partSizeMiB: 8,
  partsInParallel: 4,
  filesInParallel: 3,
  maxRetries: 5,
};

/** Transfer settings in their own file (dataDir/transfers-settings.json), written atomically. */
export interface TransferSettingsStore {
  /** Reads the file once; the defaults when it is missing or unreadable. */
  load(): Promise<TransferSettings>;
  /** The settings now (the defaults until loaded). */
  current(): TransferSettings;
  save(settings: TransferSettings): Promise<TransferSettings>;
}

/** A settings store over one JSON file; saves are serialized. */
export function createTransferSettingsStore(file: string): TransferSettingsStore {
  let settings: TransferSettings = { ...defaultTransferSettings };
  let loaded: Promise<TransferSettings> | undefined;
  let saving: Promise<unknown> = Promise.resolve();
  return {
    load() {
      loaded ??= readFile(file, 'utf8')
        .then((text) => transferSettingsSchema.parse({ ...defaultTransferSettings, ...JSON.parse(text) }))
        .catch(() => ({ ...defaultTransferSettings }))
        .then((read) => (settings = read));
      return loaded;
    },
    current: () => settings,
    async save(next) {
      const valid = transferSettingsSchema.parse(next);
      const write = saving.then(() => writeFileAtomic(file, `${JSON.stringify(valid, null, 2)}\n`));
      saving = write.catch(() => undefined);
      await write;
      settings = valid;
      return valid;
    },
  };
}
