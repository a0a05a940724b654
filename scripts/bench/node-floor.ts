/**
 * How close Node itself can come to s5cmd on a folder of small files, on this machine: the
 * bare download loop of node-floor-child.ts (no queue, no checks), the app at its defaults
 * (transfer-app-child.ts, as `npm run bench` runs it) and s5cmd fetch the same folder from one
 * MinIO, round by round, in rotating order, each in a fresh process. Not part of `npm run bench`: it answers one question of issue #12
 * (is the app's gap on small files its own, or Node's?), see docs/benchmarks.md.
 *
 *   node --import tsx scripts/bench/node-floor.ts [--files N] [--rounds N]
 *
 * Needs Go (for MinIO) and s5cmd, found or installed as `npm run bench` does.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { electronNode } from '../electron-node';
import { startMinio } from '../minio';
import { s3ClientFor } from '../../test/s3-fixtures';
import { planFolder, smallFolderSpec, writeFolder } from './bench-folders';
import { buildChildren, profileArguments } from './build-children';
import { fastTmpDir } from './bucket-space';
import { measureCommand } from './measure-command';
import { wholeOption } from './options';
import type { FloorJob, FloorResult } from './node-floor-child';
import type { AppTransferJob, AppTransferResult } from './transfer-app-child';
import { findPeerTools, isFound, type PeerCommand } from './peer-tools';
import { atCleanup, cleanupAll, stopTrackedProcesses } from './processes';
import { median } from './stats';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The small-file parallelism of the app at its defaults (parallelLimits in transfer-queue.ts). */
const APP_SMALL_FILES_AT_ONCE = 16;

/** Files found below `folder`, temporary files (a name starting with '.') not counted. */
function countFiles(folder: string): number {
  return readdirSync(folder, { recursive: true, withFileTypes: true }).filter(
    (entry) => entry.isFile() && !entry.name.startsWith('.'),
  ).length;
}

interface Row {
  tool: string;
  round: number;
  ms: number;
  cpuMs: number;
  detail: string;
}

/** The row of a process that timed its own transfer (its start-up not counted). */
function selfTimedRow(tool: string, round: number, ms: number, userMs: number, systemMs: number): Row {
  const detail = `user ${Math.round(userMs)} ms, system ${Math.round(systemMs)} ms; start-up not counted`;
  return { tool, round, ms, cpuMs: userMs + systemMs, detail };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const files = wholeOption(argv, '--files', 500);
  const rounds = wholeOption(argv, '--rounds', 5);
  const log = (line: string): void => console.log(line);
  const cacheDir = path.join(repoRoot, '.cache', 'bench');
  mkdirSync(cacheDir, { recursive: true });
  // As npm run bench: MinIO's drives on tmpfs where there is room, the files on the disk.
  const work = mkdtempSync(path.join(os.tmpdir(), 's3fm-node-floor-'));
  atCleanup('work folder', () => rmSync(work, { recursive: true, force: true }));
  const savedTmp = process.env.TMPDIR;
  const fastTmp = fastTmpDir();
  if (fastTmp) process.env.TMPDIR = fastTmp;
  const minio = await startMinio().finally(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  });
  atCleanup('MinIO', () => minio.stop());
  const bucket = 'node-floor';
  const client = s3ClientFor(minio);
  atCleanup('S3 client', () => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: bucket }));

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
  log(`${files} files of 4–64 KiB in ${bucket}/${prefix}; MinIO at ${minio.endpoint}; downloads to ${work}`);
  log(`Node floor on ${node}; ${s5cmd.name} at ${s5cmd.command}`);
  const rows: Row[] = [];
  for (let round = 1; round <= rounds; round++) {
    // Every download is kept until the end: deleting thousands of files between tools makes
    // the next one's file creation slower on some file systems (ext4 with no journal).
    const tools = ['node', 'app', 's5cmd'];
    const order = [...tools.slice(round % 3), ...tools.slice(0, round % 3)];
    for (const tool of order) {
      const targetDir = mkdtempSync(path.join(work, `down-${tool}-`));
      if (tool === 's5cmd') {
        const run = await measureCommand(s5cmd.command, s5cmd.transfers.downloadFolder(bucket, prefix, targetDir), {
          env: s5cmd.env,
        });
        if (run.exitCode !== 0 || countFiles(targetDir) !== files) throw new Error(`s5cmd failed: ${run.stderrTail}`);
        rows.push({ tool: s5cmd.name, round, ms: run.totalMs, cpuMs: run.cpuMs ?? NaN, detail: 'whole process' });
      } else if (tool === 'app') {
        const job: AppTransferJob = {
          ...minio,
          bucket,
          settings: null,
          timeoutMs: 120_000,
          kind: 'download',
          items: [prefix],
          targetDir,
        };
        const run = await measureCommand(app.command, app.args, {
          env: { ...app.env, BENCH_TRANSFER: JSON.stringify(job), NODE_NO_WARNINGS: '1' },
          cwd: repoRoot,
        });
        if (run.exitCode !== 0) throw new Error(`the app failed: ${run.stderrTail}`);
        const result = JSON.parse(run.lastLine) as AppTransferResult;
        if (result.files !== files || countFiles(targetDir) !== files) throw new Error('the app missed files');
        rows.push(selfTimedRow('app', round, result.ms, result.userCpuMs, result.cpuMs - result.userCpuMs));
      } else {
        const job: FloorJob = { ...minio, bucket, prefix, targetDir, concurrency: APP_SMALL_FILES_AT_ONCE };
        const run = await measureCommand(node, [...profileArguments(), '--import', 'tsx', child], {
          env: { FLOOR_JOB: JSON.stringify(job) },
          cwd: repoRoot,
        });
        if (run.exitCode !== 0) throw new Error(`the Node floor failed: ${run.stderrTail}`);
        const result = JSON.parse(run.lastLine) as FloorResult;
        if (result.files !== files || countFiles(targetDir) !== files) throw new Error('the Node floor missed files');
        rows.push(selfTimedRow('Node floor', round, result.ms, result.userMs, result.systemMs));
      }
    }
  }

  log('');
  log('tool | round | time | CPU | files/s | note');
  for (const row of rows) {
    const rate = Math.round((files / row.ms) * 1000);
    log(
      `${row.tool} | ${row.round} | ${Math.round(row.ms)} ms | ${Math.round(row.cpuMs)} ms | ${rate} | ${row.detail}`,
    );
  }
  for (const tool of [...new Set(rows.map((row) => row.tool))]) {
    const mine = rows.filter((row) => row.tool === tool);
    const ms = median(mine.map((row) => row.ms)) ?? NaN;
    const cpu = median(mine.map((row) => row.cpuMs)) ?? NaN;
    log(`median ${tool}: ${Math.round(ms)} ms, ${Math.round((files / ms) * 1000)} files/s, CPU ${Math.round(cpu)} ms`);
  }
}

process.once('SIGINT', () => {
  stopTrackedProcesses();
  void cleanupAll().finally(() => process.exit(130));
});
main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
