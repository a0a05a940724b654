import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../event-bus';
import { silentLogger } from '../logging/logger';
import { createUpdateService, type FoundUpdate, type UpdaterPort } from './update-service';

const context = { host: 'ipc' as const };
const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** An updater port that records what it was asked and finds the given release. */
function recordingUpdater(found: FoundUpdate | null) {
  const calls: string[] = [];
  let downloaded: ((update: FoundUpdate) => void) | undefined;
  const updater: UpdaterPort = {
    check: async () => {
      calls.push('check');
      return found;
    },
    onDownloaded: (listener) => (downloaded = listener),
    quitAndInstall: () => calls.push('quitAndInstall'),
  };
  return { updater, calls, finishDownload: () => found && downloaded?.(found) };
}

async function setup(options: { found?: FoundUpdate | null; settings?: object; active?: number; supported?: boolean }) {
  const dataDir = await mkdtemp(join(tmpdir(), 's3fm-updates-'));
  folders.push(dataDir);
  if (options.settings) await writeFile(join(dataDir, 'updates-settings.json'), JSON.stringify(options.settings));
  const port = recordingUpdater(options.found ?? null);
  const bus = createEventBus();
  const events: unknown[] = [];
  bus.onAny((channel, payload) => events.push([channel, payload]));
  let active = options.active ?? 0;
  const service = createUpdateService({
    dataDir,
    bus,
    logger: silentLogger,
    updater: options.supported === false ? undefined : port.updater,
    activeTransfers: async () => active,
    now: () => new Date('2026-12-02T12:00:00Z'),
  });
  return { service, ...port, events, dataDir, setActive: (n: number) => (active = n) };
}

const release = { version: '0.2.0', releaseNotes: 'New icon' };

describe('update service', () => {
  it('checks when a day has passed, records when, and shows what it found', async () => {
    const { service, calls, dataDir } = await setup({ found: release });
    service.start();
    await expect
      .poll(async () => (await service.handlers['updates.status']({}, context)).available)
      .toEqual({
        ...release,
        downloaded: false,
      });
    expect(calls).toEqual(['check']);
    const saved = JSON.parse(await readFile(join(dataDir, 'updates-settings.json'), 'utf8')) as object;
    expect(saved).toEqual({ enabled: true, lastCheckedAt: '2026-12-02T12:00:00.000Z' });
    await service.dispose?.();
  });

  it('does not check again within the day, nor when turned off; the setting is kept', async () => {
    const recent = await setup({ found: release, settings: { enabled: true, lastCheckedAt: '2026-12-02T01:00:00Z' } });
    recent.service.start();
    const off = await setup({ found: release, settings: { enabled: false, lastCheckedAt: null } });
    off.service.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(recent.calls).toEqual([]);
    expect(off.calls).toEqual([]);
    await expect(off.service.handlers['updates.status']({}, context)).resolves.toMatchObject({ enabled: false });
    await off.service.handlers['updates.setEnabled']({ enabled: true }, context);
    await expect.poll(() => off.calls).toEqual(['check']);
    await recent.service.dispose?.();
    await off.service.dispose?.();
  });

  it('never installs while transfers run, and installs when none do', async () => {
    const { service, calls, finishDownload, setActive, events } = await setup({ found: release, active: 2 });
    service.start();
    await expect.poll(() => calls).toEqual(['check']);
    await expect(service.handlers['updates.install']({}, context)).rejects.toMatchObject({ code: 'invalid-input' });
    finishDownload();
    await expect.poll(() => events.length).toBeGreaterThan(1);
    await expect(service.handlers['updates.status']({}, context)).resolves.toMatchObject({
      available: { version: '0.2.0', downloaded: true },
      installBlockedBy: expect.stringMatching(/^2 transfers are running/),
    });
    await expect(service.handlers['updates.install']({}, context)).rejects.toMatchObject({ code: 'conflict' });
    expect(calls).toEqual(['check']);
    setActive(0);
    await expect(service.handlers['updates.install']({}, context)).resolves.toEqual({ installing: true });
    expect(calls).toEqual(['check', 'quitAndInstall']);
    await service.dispose?.();
  });

  it('in web mode keeps the setting but checks nothing', async () => {
    const { service, calls } = await setup({ found: release, supported: false });
    service.start();
    await expect(service.handlers['updates.status']({}, context)).resolves.toMatchObject({
      supported: false,
      enabled: true,
    });
    await service.handlers['updates.setEnabled']({ enabled: false }, context);
    expect(calls).toEqual([]);
  });
});
