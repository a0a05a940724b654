import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { UpdateStatus, updateRequests } from '../../../shared/updates-contract';
import { AppFailure } from '../app-failure';
import type { EventBus } from '../event-bus';
import type { DomainServices } from '../handlers';
import type { Logger } from '../logging/logger';
import { writeFileAtomic } from '../storage/atomic-file';
import { isUpdateCheckDue, updateInstallBlocker } from './update-policy';

/** A release newer than the running app. */
export interface FoundUpdate {
  version: string;
  /** Plain text (update-policy's releaseNotesText). */
  releaseNotes: string;
}

/**
 * What the Electron glue gives the update service (electron-updater's autoUpdater, wrapped in
 * src/main/electron/updater.ts): services never import electron or electron-updater.
 */
export interface UpdaterPort {
  /** Looks for a newer release; starts its download when there is one. */
  check(): Promise<FoundUpdate | null>;
  /** Called when a found update finished downloading. */
  onDownloaded(listener: (update: FoundUpdate) => void): void;
  /** Quits and installs the downloaded update. */
  quitAndInstall(): void;
}

/** What the service is built from. */
export interface UpdateServiceDependencies {
  dataDir: string;
  bus: EventBus;
  logger: Logger;
  /** Absent in web mode and unpackaged runs: nothing is checked, the setting is still kept. */
  updater: UpdaterPort | undefined;
  /** How many transfers are queued, running or retrying. */
  activeTransfers: () => Promise<number>;
  now?: () => Date;
}

const settingsSchema = z.object({ enabled: z.boolean(), lastCheckedAt: z.string().nullable() });
type UpdateSettings = z.infer<typeof settingsSchema>;

/** How often the service asks whether a daily check is due (cheap: no request unless it is). */
const POLL_MS = 60 * 60 * 1000;

/** The update service: the daily check, the on/off setting, and installing only when no transfer runs. */
export interface UpdateService extends DomainServices<keyof typeof updateRequests> {
  /** Starts the schedule: a check now if one is due, then at most daily. */
  start(): void;
  /** Tells the service the transfers changed, so the notice can say whether it may install. */
  transfersChanged(): void;
}

/** Creates the update service; settings live in updates-settings.json in the data folder. */
export function createUpdateService(deps: UpdateServiceDependencies): UpdateService {
  const file = join(deps.dataDir, 'updates-settings.json');
  const now = deps.now ?? (() => new Date());
  let settings: UpdateSettings = { enabled: true, lastCheckedAt: null };
  let available: UpdateStatus['available'] = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  let checking = false;

  const loaded = readFile(file, 'utf8')
    .then((text) => {
      const parsed = settingsSchema.safeParse(JSON.parse(text));
      if (parsed.success) settings = parsed.data;
    })
    .catch(() => undefined);

  async function status(): Promise<UpdateStatus> {
    await loaded;
    return {
      supported: deps.updater !== undefined,
      enabled: settings.enabled,
      lastCheckedAt: settings.lastCheckedAt,
      available,
      installBlockedBy: available?.downloaded ? updateInstallBlocker(await deps.activeTransfers()) : null,
    };
  }

  async function announce(): Promise<void> {
    deps.bus.emit('updates.changed', await status());
  }

  async function checkIfDue(): Promise<void> {
    await loaded;
    if (!deps.updater || checking || !isUpdateCheckDue(settings, now())) return;
    checking = true;
    try {
      settings = { ...settings, lastCheckedAt: now().toISOString() };
      await writeFileAtomic(file, JSON.stringify(settings, null, 2));
      const found = await deps.updater.check();
      if (found && available?.version !== found.version) available = { ...found, downloaded: false };
      await announce();
    } catch (error) {
      // An offline machine or a rate-limited GitHub: try again tomorrow, quietly.
      deps.logger.warn('update check failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      checking = false;
    }
  }

  deps.updater?.onDownloaded((update) => {
    available = { ...update, downloaded: true };
    void announce();
  });

  return {
    start() {
      if (!deps.updater || timer) return;
      void checkIfDue();
      timer = setInterval(() => void checkIfDue(), POLL_MS);
      timer.unref?.();
    },
    transfersChanged() {
      if (available?.downloaded) void announce();
    },
    async dispose() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    handlers: {
      'updates.status': () => status(),
      'updates.setEnabled': async ({ enabled }) => {
        await loaded;
        settings = { ...settings, enabled };
        await writeFileAtomic(file, JSON.stringify(settings, null, 2));
        void checkIfDue();
        return status();
      },
      'updates.install': async () => {
        if (!deps.updater || !available?.downloaded) {
          throw new AppFailure('invalid-input', 'No update has been downloaded yet.');
        }
        const blocker = updateInstallBlocker(await deps.activeTransfers());
        if (blocker) throw new AppFailure('conflict', blocker);
        deps.updater.quitAndInstall();
        return { installing: true };
      },
    },
  };
}
