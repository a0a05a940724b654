/**
 * How fast Node can read one large object in ranges, with and without its HTTP module, beside
 * s5cmd: a probe for the download rows of `npm run bench` (see docs/benchmarks.md, "A large
 * download without Node's HTTP parser").
 *
 *   node --import tsx scripts/bench/range-read-floor.ts [--mib 256] [--rounds 4]
 *
 * Each round, in turn: `http`, the app's way without its queue (32 MiB ranges, 4 at once, by
 * `http.request` over keep-alive sockets, the pieces written in 1 MiB batches with a positional
 * writev); `socket`, the same ranges read off plain sockets with `onread` into one reused
 * buffer per socket (no HTTP parser, no Buffer per read), copied into 1 MiB batches written
 * with `fs.write` at their position; and s5cmd's `cp`. Each download is checked against the
 * object's bytes. Prints time and CPU (user and system) of each. Plain HTTP only: a probe,
 * not a client (no TLS, no chunked answers, no retries).
 */
import { closeSync, openSync, readFileSync, rmSync, write as writeAt } from 'node:fs';
import { open } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { EMPTY_SHA256 } from '../../src/main/services/s3/payload-hash';
import { startProbe } from './bench-minio';
import { measureCommand } from './measure-command';
import { wholeOption } from './options';
import { findPeerTools, isFound, type PeerCommand } from './peer-tools';
import { runProbe } from './processes';
import { median } from './stats';

const MiB = 1024 * 1024;
const RANGE = 32 * MiB;
const AT_ONCE = 4;
const BATCH = MiB;

/** Where the object is, and who signs for it. */
interface Source {
  host: string;
  port: number;
  path: string;
  size: number;
  signer: SignatureV4;
}

async function signedHeaders(source: Source, start: number, end: number): Promise<Record<string, string>> {
  const signed = await source.signer.sign({
    method: 'GET',
    protocol: 'http:',
    hostname: source.host,
    port: source.port,
    path: source.path,
    query: {},
    headers: {
      host: `${source.host}:${source.port}`,
      'x-amz-content-sha256': EMPTY_SHA256,
      range: `bytes=${start}-${end - 1}`,
    },
  });
  return signed.headers;
}

/** Runs `work` for every range index, AT_ONCE at a time. */
async function eachRange(size: number, work: (start: number, end: number) => Promise<void>): Promise<void> {
  let next = 0;
  const count = Math.ceil(size / RANGE);
  await Promise.all(
    Array.from({ length: AT_ONCE }, async () => {
      while (next < count) {
        const index = next++;
        await work(index * RANGE, Math.min(size, (index + 1) * RANGE));
      }
    }),
  );
}

/** The app's way: http.request, 1 MiB batches of the pieces written with a positional writev. */
async function readWithHttp(source: Source, file: string): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: AT_ONCE });
  const handle = await open(file, 'w');
  try {
    await eachRange(source.size, async (start, end) => {
      const headers = await signedHeaders(source, start, end);
      await new Promise<void>((resolve, reject) => {
        const request = http.get(
          { agent, host: source.host, port: source.port, path: source.path, headers },
          (answer) => {
            if (answer.statusCode !== 206) reject(new Error(`HTTP ${answer.statusCode}`));
            let position = start;
            let pieces: Buffer[] = [];
            let bytes = 0;
            let written = Promise.resolve();
            const flush = () => {
              const batch = pieces;
              const at = position - bytes;
              pieces = [];
              bytes = 0;
              written = written.then(() => handle.writev(batch, at).then(() => undefined));
            };
            answer.on('data', (piece: Buffer) => {
              pieces.push(piece);
              bytes += piece.length;
              position += piece.length;
              if (bytes >= BATCH) flush();
            });
            answer.on('end', () => {
              if (bytes > 0) flush();
              written.then(resolve, reject);
            });
            answer.on('error', reject);
          },
        );
        request.on('error', reject);
      });
    });
  } finally {
    await handle.close();
    agent.destroy();
  }
}

/** One plain socket's ranges: onread into one buffer, the head parsed here, the body copied into batches written at their place. */
function readRangesOnSocket(source: Source, fd: number, next: () => [number, number] | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const free: Buffer[] = [];
    let batch: Buffer = Buffer.allocUnsafe(BATCH);
    let filled = 0;
    let batchAt = 0;
    let writing = 0;
    let range: { head: Buffer | null; position: number; left: number } | undefined;
    let afterWrites: (() => void) | undefined;
    const flush = () => {
      if (filled === 0) return;
      const full = batch;
      const length = filled;
      batch = free.pop() ?? Buffer.allocUnsafe(BATCH);
      filled = 0;
      writing += 1;
      // Hold the socket back while four batches wait for the disk: memory stays at a few MiB.
      if (writing >= 4) socket.pause();
      writeAt(fd, full, 0, length, batchAt, (error) => {
        free.push(full);
        writing -= 1;
        if (error) return reject(error);
        if (writing < 4) socket.resume();
        if (writing === 0 && afterWrites) {
          const then = afterWrites;
          afterWrites = undefined;
          then();
        }
      });
    };
    const take = (from: Buffer, start: number, end: number) => {
      if (!range) return;
      while (start < end) {
        if (filled === 0) batchAt = range.position;
        const length = Math.min(end - start, BATCH - filled);
        from.copy(batch, filled, start, start + length);
        filled += length;
        start += length;
        range.position += length;
        range.left -= length;
        if (filled === BATCH) flush();
      }
    };
    const send = async () => {
      const wanted = next();
      if (!wanted) {
        socket.end();
        return resolve();
      }
      const [start, end] = wanted;
      const headers = await signedHeaders(source, start, end);
      range = { head: Buffer.alloc(0), position: start, left: -1 };
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(`GET ${source.path} HTTP/1.1\r\n${lines.join('')}\r\n`);
    };
    const onRead = (length: number, buffer: Buffer): boolean => {
      if (!range) return true;
      if (range.head !== null) {
        const head = Buffer.concat([range.head, buffer.subarray(0, length)]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          range.head = head;
          return true;
        }
        const text = head.subarray(0, end).toString('latin1');
        const size = /\r\ncontent-length: *(\d+)/i.exec(text)?.[1];
        if (!text.startsWith('HTTP/1.1 206') || size === undefined) {
          reject(new Error(`unexpected answer: ${text.split('\r\n')[0]}`));
          socket.destroy();
          return false;
        }
        range.left = Number(size);
        range.head = null;
        take(head, end + 4, head.length);
      } else {
        take(buffer, 0, length);
      }
      if (range.left === 0) {
        flush();
        range = undefined;
        if (writing === 0) void send().catch(reject);
        else afterWrites = () => void send().catch(reject);
      }
      return true;
    };
    const socket = net.connect({
      host: source.host,
      port: source.port,
      onread: { buffer: Buffer.allocUnsafe(BATCH), callback: onRead },
    });
    socket.on('error', reject);
    socket.on('connect', () => void send().catch(reject));
  });
}

/** The ranges off plain sockets (see readRangesOnSocket), AT_ONCE sockets. */
async function readWithSockets(source: Source, file: string): Promise<void> {
  const fd = openSync(file, 'w');
  try {
    let next = 0;
    const count = Math.ceil(source.size / RANGE);
    const nextRange = (): [number, number] | undefined => {
      if (next >= count) return undefined;
      const index = next++;
      return [index * RANGE, Math.min(source.size, (index + 1) * RANGE)];
    };
    await Promise.all(Array.from({ length: AT_ONCE }, () => readRangesOnSocket(source, fd, nextRange)));
  } finally {
    closeSync(fd);
  }
}

/** Time and this process's CPU of one in-process read. */
async function timed(read: () => Promise<void>): Promise<{ ms: number; userMs: number; systemMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await read();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, userMs: used.user / 1000, systemMs: used.system / 1000 };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const mib = wholeOption(argv, '--mib', 256);
  const rounds = wholeOption(argv, '--rounds', 4);
  const log = (line: string): void => console.log(line);
  const bucket = 'range-floor';
  const key = 'big.bin';
  const { cacheDir, work, minio, client } = await startProbe('range-floor', bucket);
  const body = Buffer.allocUnsafe(mib * MiB);
  for (let at = 0; at < body.length; at += 4) body.writeUInt32LE((at * 2654435761) >>> 0, at);
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

  const found = await findPeerTools(
    { ...minio, bucket, prefix: '' },
    { cacheDir, scratchDir: work, install: true, log },
  );
  const s5cmd = found.find((peer): peer is PeerCommand => isFound(peer) && peer.kind === 's5cmd');
  const endpoint = new URL(minio.endpoint);
  const source: Source = {
    host: endpoint.hostname,
    port: Number(endpoint.port),
    path: `/${bucket}/${key}`,
    size: body.length,
    signer: new SignatureV4({
      credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
      region: minio.region,
      service: 's3',
      sha256: client.config.sha256,
      uriEscapePath: false,
    }),
  };
  const file = path.join(work, 'down.bin');
  const results = new Map<string, Array<{ ms: number; userMs: number; systemMs: number }>>();
  const record = (name: string, run: { ms: number; userMs: number; systemMs: number }) => {
    const intact = readFileSync(file).equals(body);
    rmSync(file, { force: true });
    if (!intact) throw new Error(`${name}: the downloaded file differs from the object`);
    results.set(name, [...(results.get(name) ?? []), run]);
    log(
      `  ${name}: ${Math.round(run.ms)} ms, user ${Math.round(run.userMs)} ms, system ${Math.round(run.systemMs)} ms`,
    );
  };
  for (let round = 1; round <= rounds; round++) {
    log(`Round ${round} of ${rounds} (${mib} MiB, ${RANGE / MiB} MiB ranges, ${AT_ONCE} at once):`);
    record('http', await timed(() => readWithHttp(source, file)));
    record('socket', await timed(() => readWithSockets(source, file)));
    if (s5cmd) {
      const run = await measureCommand(s5cmd.command, s5cmd.transfers.download(bucket, key, file), { env: s5cmd.env });
      if (run.exitCode !== 0) throw new Error(`s5cmd failed: ${run.stderrTail}`);
      record('s5cmd', {
        ms: run.totalMs,
        userMs: (run.cpuMs ?? NaN) - (run.systemCpuMs ?? NaN),
        systemMs: run.systemCpuMs ?? NaN,
      });
    }
  }
  log('\nreader | time (median) | user CPU | system CPU');
  for (const [name, runs] of results) {
    const of = (pick: (run: { ms: number; userMs: number; systemMs: number }) => number) =>
      Math.round(median(runs.map(pick)) ?? NaN);
    log(`${name} | ${of((r) => r.ms)} ms | ${of((r) => r.userMs)} ms | ${of((r) => r.systemMs)} ms`);
  }
}

runProbe(main);
