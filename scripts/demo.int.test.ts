/**
 * `npm run demo`: its choice of server on any machine, and, on each server it may run on, its
 * sample data as the app itself lists it (objects.list through dispatch, as the hosts call it)
 * with the account the demo hands the app: every sample object in its folder, with its size.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { BucketSummary } from '../src/shared/models';
import type { ListingPage } from '../src/shared/objects';
import type { Result } from '../src/shared/result';
import { accountFromEnvironment } from '../src/main/services/accounts/env-account';
import { createServices } from '../src/main/services/create-services';
import { createSessionCustomerKeyStore } from '../src/main/services/keychain/customer-key-store';
import { createSessionSecretStore } from '../src/main/services/keychain/secret-store';
import { silentLogger } from '../src/main/services/logging/logger';
import { dispatch } from '../src/main/host/dispatch';
import { demoBuckets, foldersAbove, sampleSize, seedDemoServer } from './demo-data';
import {
  demoAppEnvironment,
  demoServerCandidates,
  demoServerNames,
  fallbackReason,
  GoBuildProgress,
  startDemoServer,
  thisMachine,
  type DemoMachine,
  type DemoServerName,
} from './demo';
import { s3ServerLaunchers } from './s3-servers/registry';
import type { RunningS3Server } from './s3-servers/launcher';

/** A machine with the given servers prepared and tools installed. */
function machine(prepared: DemoServerName[], tools: { go?: boolean; python?: boolean } = {}): DemoMachine {
  return {
    isPrepared: (server) => server === 's3rver' || prepared.includes(server),
    hasGo: () => tools.go ?? false,
    hasPythonVenv: () => tools.python ?? false,
  };
}

describe('the demo picks its server', () => {
  test('MinIO when it is built, else built with Go, else moto, else s3rver; each next one as a fallback', () => {
    expect(demoServerCandidates(machine(['minio', 'moto']))).toEqual([
      { server: 'minio', preparation: 'ready' },
      { server: 'moto', preparation: 'ready' },
      { server: 's3rver', preparation: 'ready' },
    ]);
    expect(demoServerCandidates(machine([], { go: true, python: true }))).toEqual([
      { server: 'minio', preparation: 'build' },
      { server: 'moto', preparation: 'install' },
      { server: 's3rver', preparation: 'ready' },
    ]);
    expect(demoServerCandidates(machine([], { python: true }))).toEqual([
      { server: 'moto', preparation: 'install' },
      { server: 's3rver', preparation: 'ready' },
    ]);
    expect(demoServerCandidates(machine([]))).toEqual([{ server: 's3rver', preparation: 'ready' }]);
  });

  test('S3FM_DEMO_SERVER names one server, and an unknown name is refused', () => {
    expect(demoServerCandidates(machine(['minio']), 's3rver')).toEqual([{ server: 's3rver', preparation: 'ready' }]);
    expect(demoServerCandidates(machine([]), 'minio')).toEqual([{ server: 'minio', preparation: 'build' }]);
    expect(() => demoServerCandidates(machine([]), 'ceph')).toThrow(/minio, moto, s3rver/);
  });

  test('a build that fails is said, and the next server starts', async () => {
    const lines: string[] = [];
    const started = await startDemoServer({
      candidates: demoServerCandidates(machine([], { go: true })),
      prepare: () => Promise.reject(new Error('go: module lookup disabled')),
      start: (server) => Promise.resolve({ server, version: 'x' } as RunningS3Server),
      log: (line) => lines.push(line),
    });
    expect(started.name).toBe('s3rver');
    expect(lines[0]).toMatch(/first build takes a few minutes/);
    expect(lines.slice(1)).toEqual(['MinIO could not start: go: module lookup disabled', 'Trying s3rver instead.']);
    expect(fallbackReason('s3rver', machine([]))).toMatch(/Go is not installed.*python3-venv/);
  });

  test("go's output names the build's step", () => {
    const progress = new GoBuildProgress();
    expect(progress.step()).toBe('resolving modules');
    progress.push('go: downloading github.com/minio/minio v0.0.0-20260212201848-7aac2a2c5b7c');
    progress.push('go: downloading github.com/klauspost/compress v1.18.0');
    expect(progress.step()).toBe('downloading modules (2 so far)');
    progress.push('internal/goarch');
    progress.push('github.com/minio/minio/internal/config');
    expect(progress.step()).toBe('compiling packages (2 so far, now github.com/minio/minio/internal/config)');
    progress.push('github.com/minio/minio');
    expect(progress.step()).toMatch(/linking/);
  });
});

/** Every folder of a bucket as the app lists it (all pages), by prefix. */
async function listEveryFolder(
  call: <T>(channel: string, input: object) => Promise<T>,
  bucket: string,
): Promise<Map<string, ListingPage>> {
  const listings = new Map<string, ListingPage>();
  const pending = [''];
  while (pending.length > 0) {
    const prefix = pending.shift()!;
    const listing: ListingPage = { folders: [], files: [], nextToken: null };
    let token: string | undefined;
    do {
      const page = await call<ListingPage>('objects.list', { bucket, prefix, continuationToken: token });
      listing.folders.push(...page.folders);
      listing.files.push(...page.files);
      token = page.nextToken ?? undefined;
    } while (token);
    listings.set(prefix, listing);
    pending.push(...listing.folders.map((folder) => folder.key));
  }
  return listings;
}

/** The folder a key is shown in: 'a/b/c.png' and 'a/b/' are both in 'a/'. */
function parentOf(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  return trimmed.slice(0, trimmed.lastIndexOf('/') + 1);
}

describe.sequential('the demo on each server it may use', () => {
  for (const name of demoServerNames) {
    // MinIO is built for the integration tests and moto by npm test's preparation; installing
    // moto here would take about 40 seconds, so without it the test says so and skips.
    const skip = name !== 's3rver' && name !== 'minio' && !thisMachine.isPrepared(name);
    test.skipIf(skip)(`${name}: every sample object shows in its folder, with its size`, async () => {
      const { server, name: chosen } = await startDemoServer({
        candidates: demoServerCandidates(thisMachine, name),
        prepare: (server) => s3ServerLaunchers[server].prepare(),
        start: (server) => s3ServerLaunchers[server].start(),
        log: () => undefined,
      });
      const work = await mkdtemp(path.join(tmpdir(), `s3fm-demo-${name}-`));
      const account = accountFromEnvironment(demoAppEnvironment(server, chosen, {}));
      const services = createServices({
        appInfo: { name: 'S3 File Manager', version: 'demo-test', mode: 'web' },
        dataDir: path.join(work, 'data'),
        keychain: createSessionSecretStore(),
        customerKeys: createSessionCustomerKeyStore(),
        logger: silentLogger,
        launchAccounts: account ? [account] : [],
      });
      const call = async <T>(channel: string, input: object): Promise<T> => {
        const result = (await dispatch(
          services,
          channel,
          { accountId: 'launch', ...input },
          { host: 'ipc' },
        )) as Result<T>;
        if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
        return result.value;
      };
      try {
        expect(chosen).toBe(name);
        await seedDemoServer(server);

        const buckets = await call<BucketSummary[]>('buckets.list', {});
        expect(buckets.map((bucket) => bucket.name).sort()).toEqual(Object.keys(demoBuckets).sort());

        for (const [bucket, objects] of Object.entries(demoBuckets)) {
          const listings = await listEveryFolder(call, bucket);
          const shown = (folder: string) => listings.get(folder) ?? { folders: [], files: [], nextToken: null };
          const keys = objects.map((object) => object.key);
          for (const folder of [...foldersAbove(keys), ...keys.filter((key) => key.endsWith('/'))]) {
            expect(
              shown(parentOf(folder)).folders.map((entry) => entry.key),
              `${bucket}: folder ${folder} in ${parentOf(folder) || 'the bucket root'} on ${name}`,
            ).toContain(folder);
          }
          const files = objects.filter((object) => !object.key.endsWith('/'));
          for (const object of files) {
            expect(
              shown(parentOf(object.key)).files.map((entry) => [entry.key, entry.size]),
              `${bucket}: ${object.key} in ${parentOf(object.key) || 'the bucket root'} on ${name}`,
            ).toContainEqual([object.key, sampleSize(object)]);
          }
          // And nothing else: folder objects are folders, never files of their own folder.
          const everyFile = [...listings.values()].flatMap((listing) => listing.files.map((entry) => entry.key));
          expect(everyFile.sort(), `${bucket} on ${name}`).toEqual(files.map((object) => object.key).sort());
        }
      } finally {
        await services.dispose();
        await server.stop();
        await rm(work, { recursive: true, force: true });
      }
    });
  }
});
