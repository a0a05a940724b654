/**
 * How close Node itself can come to s5cmd on a folder of small files, on this machine: the
 * bare loops of node-floor-child.ts (no queue, no checks), the app at its defaults
 * (transfer-app-child.ts, as `npm run bench` runs it) and s5cmd fetch the same folder from one
 * MinIO (`--direction down`, the default), or send the same local folder to it (`up`), or both,
 * round by round, in rotating order, each in a fresh process. Not part of `npm run bench`: it
 * answers one question of issue #12 (is the app's gap on small files its own, or Node's?), see
 * docs/benchmarks.md. `--rtt-ms N` puts a relay in front of MinIO that adds N ms to every round
 * trip (delay-proxy.ts), for every tool: a service a person uses is that far away.
 *
 *   node --import tsx scripts/bench/node-floor.ts [--files N] [--rounds N] [--direction down|up|both] [--rtt-ms N]
 *
 * Needs Go (for MinIO) and s5cmd, found or installed as `npm run bench` does.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { electronNode } from '../electron-node';
import { planFolder, smallFolderSpec, writeFolder } from './bench-folders';
import { buildChildren, profileArguments } from './build-children';
import { startProbe } from './bench-minio';
import { measureCommand } from './measure-command';
import { wholeOption } from './options';
import type { FloorJob, FloorResult } from './node-floor-child';
import type { AppTransferJob, AppTransferResult } from './transfer-app-child';
import { findPeerTools, isFound, type PeerCommand } from './peer-tools';
import { atCleanup, runProbe } from './processes';
import { startDelayProxy } from '../../test/delay-proxy';
import { median } from './stats';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The small-file parallelism of the app at its defaults (parallelLimits in transfer-queue.ts). */
const APP_SMALL_FILES_AT_ONCE = 64;

/** Files found below `folder`, temporary files (a name starting with '.') not counted. */
function countFiles(folder: string): number {
  return readdirSync(folder, { recursive: true, withFileTypes: true }).filter(
    (entry) => entry.isFile() && !entry.name.startsWith('.'),
  ).length;
}

interface Row {
  direction: Direction;
  tool: string;
  round: number;
  ms: number;
  cpuMs: number;
  detail: string;
}

/** Which way the files go: from MinIO to the disk, or from the disk to MinIO. */
type Direction = 'down' | 'up';

/** The row of a process that timed its own transfer (its start-up not counted). */
function selfTimedRow(
  direction: Direction,
  tool: string,
  round: number,
  ms: number,
  userMs: number,
  systemMs: number,
): Row {
  const detail = `user ${Math.round(userMs)} ms, system ${Math.round(systemMs)} ms; start-up not counted`;
  return { direction, tool, round, ms, cpuMs: userMs + systemMs, detail };
}

/** The directions `--direction` asks for (down when absent). */
function directionsOf(argv: readonly string[]): Direction[] {
  const at = argv.indexOf('--direction');
  const value = at >= 0 ? argv[at + 1] : 'down';
  if (value === 'down' || value === 'up') return [value];
  if (value === 'both') return ['down', 'up'];
  throw new Error('--direction takes down, up or both');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const files = wholeOption(argv, '--files', 500);
  const rounds = wholeOption(argv, '--rounds', 5);
  const directions = directionsOf(argv);
  const log = (line: string): void => console.log(line);
  // As npm run bench: MinIO's drives on tmpfs where there is room, the files on the disk.
  const bucket = 'node-floor';
  const { cacheDir, work, minio: local, client } = await startProbe('node-floor', bucket);
  const rttMs = wholeOption(argv, '--rtt-ms', 0);
  let minio = local;
  if (rttMs > 0) {
    const { hostname, port } = new URL(local.endpoint);
    const relay = await startDelayProxy({ host: hostname, port: Number(port) }, rttMs);
    atCleanup('delay proxy', () => relay.close());
    minio = { ...local, endpoint: relay.endpoint };
  }

  const target = { ...minio, bucket, prefix: '' };
  const found = await findPeerTools(target, { cacheDir, scratchDir: work, install: true, log });
  const s5cmd = found.find((peer): peer is PeerCommand => isFound(peer) && peer.kind === 's5cmd');
  if (!s5cmd) throw new Error('s5cmd is needed (npm run bench says how it installs it)');

  const source = path.join(work, 'source');
  await writeFolder(source, planFolder(smallFolderSpec(files)));
  const prefix = 'small/';
  const upload = await measureCommand(s5cmd.command, s5cmd.transfers.uploadFolder(source, bucket, prefix), {
    env: s5cmd.env,
  });
  if (upload.exitCode !== 0) throw new Error(`s5cmd could not upload the folder: ${upload.stderrTail}`);

  const node = electronNode(repoRoot);
  const child = path.join(repoRoot, 'scripts', 'bench', 'node-floor-child.ts');
  const childrenDir = mkdtempSync(path.join(cacheDir, 'children-'));
  atCleanup('bundled children', () => rmSync(childrenDir, { recursive: true, force: true }));
  const childTmp = path.join(work, 'tmp');
  mkdirSync(childTmp);
  const app = (
    await buildChildren(repoRoot, childrenDir, { TMPDIR: childTmp }, { path: node, label: "Electron's Node" })
  )['transfer-app-child'];
  const link =
    rttMs > 0 ? `through a relay adding ${rttMs} ms a round trip, at ${minio.endpoint}` : `at ${minio.endpoint}`;
  log(`${files} files of 4–64 KiB in ${bucket}/${prefix}; MinIO ${link}; downloads to ${work}`);
  log(`Node floor on ${node}; ${s5cmd.name} at ${s5cmd.command}`);
  /** How many objects are under a prefix. */
  const countObjects = async (under: string): Promise<number> => {
    let count = 0;
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: under })) {
      count += page.KeyCount ?? 0;
    }
    return count;
  };
  const rows: Row[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const direction of directions) {
      // Every download is kept until the end: deleting thousands of files between tools makes
      // the next one's file creation slower on some file systems (ext4 with no journal).
      // Every upload goes under a prefix of its own, so none replaces another's objects.
      const tools = ['node', 'app', 's5cmd'];
      const order = [...tools.slice(round % 3), ...tools.slice(0, round % 3)];
      for (const tool of order) {
        const targetDir = direction === 'down' ? mkdtempSync(path.join(work, `down-${tool}-`)) : '';
        const upPrefix = `up-${tool}-${round}/`;
        const landed = async (what: string): Promise<void> => {
          const count = direction === 'down' ? countFiles(targetDir) : await countObjects(upPrefix);
          if (count !== files) throw new Error(`${what} moved ${count} of ${files} files`);
        };
        if (tool === 's5cmd') {
          const args =
            direction === 'down'
              ? s5cmd.transfers.downloadFolder(bucket, prefix, targetDir)
              : s5cmd.transfers.uploadFolder(source, bucket, upPrefix);
          const run = await measureCommand(s5cmd.command, args, { env: s5cmd.env });
          if (run.exitCode !== 0) throw new Error(`s5cmd failed: ${run.stderrTail}`);
          await landed('s5cmd');
          rows.push({
            direction,
            tool: s5cmd.name,
            round,
            ms: run.totalMs,
            cpuMs: run.cpuMs ?? NaN,
            detail: 'whole process',
          });
        } else if (tool === 'app') {
          const job: AppTransferJob = {
            ...minio,
            bucket,
            settings: null,
            timeoutMs: 120_000,
            ...(direction === 'down'
              ? { kind: 'download' as const, items: [prefix], targetDir }
              : { kind: 'upload' as const, paths: [source], prefix: upPrefix }),
          };
          const run = await measureCommand(app.command, app.args, {
            env: { ...app.env, BENCH_TRANSFER: JSON.stringify(job), NODE_NO_WARNINGS: '1' },
            cwd: repoRoot,
          });
          if (run.exitCode !== 0) throw new Error(`the app failed: ${run.stderrTail}`);
          const result = JSON.parse(run.lastLine) as AppTransferResult;
          if (result.files !== files) throw new Error('the app missed files');
          await landed('the app');
          rows.push(
            selfTimedRow(direction, 'app', round, result.ms, result.userCpuMs, result.cpuMs - result.userCpuMs),
          );
        } else {
          const job: FloorJob = {
            ...minio,
            bucket,
            concurrency: APP_SMALL_FILES_AT_ONCE,
            ...(direction === 'down'
              ? { kind: 'download' as const, prefix, targetDir }
              : { kind: 'upload' as const, prefix: upPrefix, sourceDir: source }),
          };
          const run = await measureCommand(node, [...profileArguments(), '--import', 'tsx', child], {
            env: { FLOOR_JOB: JSON.stringify(job) },
            cwd: repoRoot,
          });
          if (run.exitCode !== 0) throw new Error(`the Node floor failed: ${run.stderrTail}`);
          const result = JSON.parse(run.lastLine) as FloorResult;
          if (result.files !== files) throw new Error('the Node floor missed files');
          await landed('the Node floor');
          rows.push(selfTimedRow(direction, 'Node floor', round, result.ms, result.userMs, result.systemMs));
        }
      }
    }
  }

  log('');
  log('direction | tool | round | time | CPU | files/s | note');
  for (const row of rows) {
    const rate = Math.round((files / row.ms) * 1000);
    log(
      `${row.direction} | ${row.tool} | ${row.round} | ${Math.round(row.ms)} ms | ${Math.round(row.cpuMs)} ms | ${rate} | ${row.detail}`,
    );
  }
  for (const direction of directions) {
    for (const tool of [...new Set(rows.map((row) => row.tool))]) {
      const mine = rows.filter((row) => row.tool === tool && row.direction === direction);
      const ms = median(mine.map((row) => row.ms)) ?? NaN;
      const cpu = median(mine.map((row) => row.cpuMs)) ?? NaN;
      log(
        `median ${direction} ${tool}: ${Math.round(ms)} ms, ${Math.round((files / ms) * 1000)} files/s, CPU ${Math.round(cpu)} ms`,
      );
    }
  }
}

runProbe(main);
