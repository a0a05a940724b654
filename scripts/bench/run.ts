/**
 * `npm run bench` (issue #12: "at least as fast as s5cmd on the same server, in memory that
 * does not grow with file size"): in one run, against one MinIO, the app at its default
 * settings beside s5cmd, rclone and the AWS CLI moves one file up and down at 256 MiB, 1 GiB
 * and 5 GiB, a folder of 500 small files and a folder of 5,000 files of mixed sizes up and
 * down (scripts/bench/transfer-bench.ts), and lists a folder of 100,000 keys (with the UI:
 * scripts/bench/listing-bench.ts). It prints one summary table, each tool as a ratio to
 * s5cmd, the issue's goals met or missed, then the detailed tables; docs/benchmarks.md says
 * what each row means.
 *
 * Options (docs/benchmarks.md has the table):
 *   --quick           a smoke run (under a minute here): 5,000 keys, a 64 MiB file, 100 small
 *                     files, 250 files of mixed sizes, 1 round, one 2 s scroll pass of the UI
 *   --keys N          keys in the listed folder (default 100000)
 *   --rounds N        rounds of the listing, of the smallest file and of the small files (default 3)
 *   --big-rounds N    rounds of the bigger files and of the mixed folder (default 3; --quick: 1)
 *   --sizes A,B,…     sizes of the single file in MiB (default 256,1024,5120)
 *   --small-files N   files in the folder of small files (default 500)
 *   --mixed-files N   files in the folder of mixed sizes (default 5000)
 *   --grid            also the app at part size × parts in parallel on the smallest file
 *   --scroll-ms N, --scroll-passes N, --no-ui, --no-build, --profile   the UI (ui-bench.ts)
 *   --no-peers        skip the peer tools
 *   --no-install      do not install a missing peer tool
 *   --no-listing, --no-transfers, --only listing|transfers   choose the phases
 *
 * Everything it starts (MinIO, web mode, Chromium, the peer tools, the app's children) is
 * stopped by pid at the end, also on failure or Ctrl+C. Results go to bench-results/bench-<time>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { MINIO_MODULE_VERSION, startMinio } from '../minio';
import { createS3Client } from '../../src/main/services/s3/s3-client';
import { s3ClientFor } from '../../test/s3-fixtures';
import { makeSelfSignedCertificate } from '../../test/self-signed-certificate';
import { smallFolderSpec } from './bench-folders';
import { buildChildren, type ChildNode } from './build-children';
import { electronNode, electronNodeVersion } from '../electron-node';
import { fastTmpDir, type Places } from './bucket-space';
import { runListingPhase, type ListingPhaseResult } from './listing-bench';
import { describeMachine, machineInfo, oneMinuteLoad } from './machine';
import { commandLine, parseOptions } from './options';
import { findPeerTools, isFound, type ListingTarget, type MissingPeer, type PeerCommand } from './peer-tools';
import { startDelayProxy } from '../../test/delay-proxy';
import { atCleanup, cleanupAll, stopTrackedProcesses } from './processes';
import { formatMs } from './stats';
import { goalLines, renderSummary, summaryRows } from './summary';
import {
  runTransferBench,
  sizeLabel,
  transferReport,
  type DelayedLink,
  type TransferBenchResult,
} from './transfer-bench';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** statfs's f_type of tmpfs (linux/magic.h): files there live in RAM. */
const TMPFS_MAGIC = 0x01021994;

function isTmpfs(dir: string): boolean {
  try {
    return statfsSync(dir).type === TMPFS_MAGIC;
  } catch {
    return false;
  }
}

/**
 * A folder on the disk for the files moved up and down, as a person's files are, and so that
 * a 5 GiB source and its download never take RAM: os.tmpdir(), or .cache/bench/ in the repo
 * when os.tmpdir() is a tmpfs.
 */
function diskWorkDir(cacheDir: string): string {
  const parent = isTmpfs(os.tmpdir()) ? cacheDir : os.tmpdir();
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(path.join(parent, 's3fm-bench-work-'));
}

/**
 * The app's processes run on the Node that Electron bundles, as the app's main process does
 * (installed into .cache/electron-node the first time, as for the tests); where it cannot be
 * had, on this Node, and the report says which.
 */
function childNode(repoRoot: string): ChildNode {
  try {
    const binary = electronNode(repoRoot);
    const version = binary === process.execPath ? process.version : `v${electronNodeVersion}`;
    return { path: binary, label: `Electron's Node ${version} (as the app runs)` };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      path: process.execPath,
      label: `Node ${process.version} (Electron's Node ${electronNodeVersion} unavailable: ${reason})`,
    };
  }
}

async function main(): Promise<void> {
  // The AWS SDK's notice that it will want Node 22 would otherwise land in the middle of the
  // report, once here and once in every child that inherits this environment.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  const started = performance.now();
  const log = (line: string): void => console.log(line);
  const resultsDir = path.join(repoRoot, 'bench-results');
  const cacheDir = path.join(repoRoot, '.cache', 'bench');
  const appDir = path.join(repoRoot, '.cache', 'bench-app');
  mkdirSync(resultsDir, { recursive: true });
  // A fresh clone has no .cache/bench until a peer tool is installed there; --no-peers installs none.
  mkdirSync(cacheDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const machine = machineInfo();
  const command = commandLine(argv);

  log(`S3 File Manager benchmark (issue #12): ${command}`);
  log(`Machine: ${describeMachine(machine)}`);
  const workDir = diskWorkDir(cacheDir);
  atCleanup('work folder', () => rmSync(workDir, { recursive: true, force: true }));

  // MinIO on tmpfs when there is room: os.tmpdir() is read when startMinio makes its folder.
  // MinIO moves a deleted object to its drives' trash and empties it on a timer; the transfers
  // phase empties it itself after each run (emptyTrash), so that each tool's turn starts with
  // the same free memory.
  const fastTmp = fastTmpDir();
  const saved = { TMPDIR: process.env.TMPDIR };
  if (fastTmp) process.env.TMPDIR = fastTmp;
  const drivesDir = os.tmpdir();
  // --tls: a certificate for 127.0.0.1 that no system root vouches for; every tool is told to
  // trust it (a CA file each), none to skip verification.
  const certificate = options.tls
    ? await makeSelfSignedCertificate(workDir, {
        name: 'bench-minio',
        commonName: 's3fm-bench-minio',
        subjectAltName: 'IP:127.0.0.1',
      })
    : undefined;
  const minio = await startMinio(
    certificate ? { tls: { certFile: certificate.certFile, keyFile: certificate.keyFile } } : {},
  ).finally(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  atCleanup('MinIO', () => minio.stop());
  const places: Places = { workDir, drivesDir, drivesInMemory: isTmpfs(drivesDir), drives: minio.drives };
  log(
    `MinIO ${MINIO_MODULE_VERSION} at ${minio.endpoint} (four drives in ${drivesDir}${places.drivesInMemory ? ', tmpfs' : ''}); ` +
      `files written and downloaded in ${workDir}${isTmpfs(workDir) ? ' (tmpfs)' : ' (disk)'}`,
  );
  const target: ListingTarget = {
    endpoint: minio.endpoint,
    region: minio.region,
    accessKeyId: minio.accessKeyId,
    secretAccessKey: minio.secretAccessKey,
    bucket: 'bench-100k',
    prefix: 'big-folder/',
    ...(certificate ? { caFile: certificate.certFile } : {}),
  };
  // Over TLS, a client that trusts the run's certificate as an account pinning it does (test/tls-minio.ts too).
  const client = certificate
    ? createS3Client({
        endpoint: minio.endpoint,
        region: minio.region,
        forcePathStyle: true,
        credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
        pinnedCertificatePem: certificate.pem,
      })
    : s3ClientFor(minio);
  atCleanup('S3 client', () => client.destroy());

  const peers: PeerCommand[] = [];
  const missing: MissingPeer[] = [];
  if (options.peers) {
    log('Peer tools:');
    for (const peer of await findPeerTools(target, { cacheDir, scratchDir: workDir, install: options.install, log })) {
      if (isFound(peer)) {
        peers.push(peer);
        log(`  ${peer.name}: ${peer.command}`);
      } else {
        missing.push(peer);
        log(`  ${peer.name}: not installed: ${peer.installHint} (${peer.reason})`);
      }
    }
  }

  // The app's own processes, bundled as the app is (tsx would add its memory to theirs).
  // A folder of this run's own: another run at the same time keeps its bundle.
  const childrenDir = mkdtempSync(path.join(cacheDir, 'children-'));
  atCleanup('bundled children', () => rmSync(childrenDir, { recursive: true, force: true }));
  // Their temporary folders (the test harness they use keeps a data folder per process) in
  // the work folder, deleted with it.
  const childTmp = path.join(workDir, 'tmp');
  mkdirSync(childTmp);
  const children = await buildChildren(repoRoot, childrenDir, { TMPDIR: childTmp }, childNode(repoRoot));
  log(`The app's benchmark processes: ${children['transfer-app-child'].how}`);

  let listing: ListingPhaseResult | null = null;
  if (options.listing) {
    log('');
    log(`Listing: one folder of ${options.keys.toLocaleString('en-US')} keys…`);
    listing = await runListingPhase({
      repoRoot,
      child: children['list-app-child'],
      options,
      target,
      client,
      peers,
      missing,
      appDir,
      resultsDir,
      stamp,
      log,
    });
  }

  let transfers: TransferBenchResult | null = null;
  if (options.transfers) {
    const bucket = 'bench-transfers';
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    log('');
    log(
      `Transfers: the app at its defaults and ${peers.length} peer tools, one at a time: ` +
        `${options.sizesMiB.map(sizeLabel).join(', ')} files, ${options.smallFiles} small files, ` +
        `${options.mixed.small + options.mixed.medium + options.mixed.large} files of mixed sizes, up and down…`,
    );
    // The small files again through a relay for each round trip, for every tool alike (the
    // peers found above, pointed at the relay's endpoint).
    const delayed: DelayedLink[] = [];
    const minioUrl = new URL(minio.endpoint);
    for (const rttMs of options.rttsMs) {
      const relay = await startDelayProxy({ host: minioUrl.hostname, port: Number(minioUrl.port) }, rttMs);
      atCleanup(`delay relay (${rttMs} ms)`, () => relay.close());
      // The relay passes TLS through untouched: the same scheme, and the certificate (for 127.0.0.1) still fits.
      const relayTarget = { ...target, endpoint: `${minioUrl.protocol}//127.0.0.1:${relay.port}` };
      delayed.push({ rttMs, target: relayTarget, peers: peers.map((peer) => peer.at(relayTarget)) });
      log(
        `A relay adding ${rttMs} ms to every round trip at ${relayTarget.endpoint}, for the small files' run over it`,
      );
    }
    transfers = await runTransferBench({
      repoRoot,
      appChild: children['transfer-app-child'],
      target,
      client,
      bucket,
      peers,
      rounds: options.rounds,
      bigRounds: options.bigRounds,
      sizesMiB: options.sizesMiB,
      smallFiles: smallFolderSpec(options.smallFiles),
      mixed: options.mixed,
      grid: options.grid,
      delayed,
      places,
      log,
    });
  }
  const loadAtEnd = oneMinuteLoad();

  // The report: the summary, the goals, then the detailed tables.
  const rows = summaryRows(transfers, listing);
  const names = {
    app: 'app (defaults)',
    ...Object.fromEntries(peers.map((peer) => [peer.kind, peer.name])),
  };
  log('');
  log('='.repeat(100));
  log(`Summary (issue #12), ${command}`);
  log(`${describeMachine(machine)}, ${loadAtEnd.toFixed(1)} at the end`);
  log(
    `MinIO ${MINIO_MODULE_VERSION}${certificate ? ' over TLS (a self-signed certificate every tool trusts)' : ''}; ${[...peers.map((peer) => peer.name), ...missing.map((m) => `${m.name} not installed`)].join(', ')}`,
  );
  log('');
  log(renderSummary(rows, names));
  log('');
  log(
    'Each figure is the median of its rounds; a peer\'s "(n×)" and the last column are the figure over s5cmd\'s. ' +
      'Rates and files/s: higher is better; seconds and peak RSS: lower is better. FAILED: a check failed (see below).',
  );
  for (const line of goalLines(rows, transfers)) log(line);
  if (transfers) {
    log('');
    for (const line of transferReport(transfers)) log(line);
  }
  if (listing) {
    log('');
    for (const line of listing.report) log(line);
  }
  for (const m of missing) log(`${m.name}: not installed: ${m.installHint} (${m.reason})`);

  const resultFile = path.join(resultsDir, `bench-${stamp}.json`);
  writeFileSync(
    resultFile,
    `${JSON.stringify(
      {
        when: new Date().toISOString(),
        command,
        options,
        machine: { ...machine, loadAtEnd },
        minio: MINIO_MODULE_VERSION,
        places,
        peers: peers.map(({ kind, name, version, command: binary }) => ({ kind, name, version, command: binary })),
        missingPeers: missing,
        summary: rows,
        listing: listing ? { ...listing, report: undefined } : null,
        transfers,
        totalMs: performance.now() - started,
      },
      null,
      2,
    )}\n`,
  );
  log('');
  log(`Results: ${path.relative(repoRoot, resultFile)} (whole run ${formatMs(performance.now() - started)})`);
}

let stopping = false;
const stopOnSignal = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  console.error(`\n${signal}: stopping what the benchmark started…`);
  // The measured tools first, then the undo steps (MinIO among them): see stopTrackedProcesses.
  stopTrackedProcesses();
  void cleanupAll().finally(() => process.exit(130));
};
process.once('SIGINT', stopOnSignal);
process.once('SIGTERM', stopOnSignal);

main()
  .catch((error: unknown) => {
    // After Ctrl+C, the requests that were cut off fail: that is not news.
    if (stopping) return;
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanupAll();
  });
