/**
 * The least a Node process can do to move a folder of small objects. Down: one signed
 * ListObjectsV2 page at a time, then one signed GET per key over keep-alive sockets, as many
 * at once as the app runs small files, each body written to a temporary file and renamed.
 * Up: the folder read (one readdir), then each file read whole and sent in one signed PUT
 * (UNSIGNED-PAYLOAD, as the app signs a PUT that carries its checksum), as many at once.
 * No queue, no journal, no checks, no progress: the floor under the app's own small-file
 * transfers (see node-floor.ts, which runs it beside the app and s5cmd).
 *
 * Input: FLOOR_JOB (JSON, {@link FloorJob}).
 * Output: one JSON line on stdout ({@link FloorResult}).
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { EMPTY_SHA256 } from '../../src/main/services/s3/payload-hash';

/** What the child moves, and where: the keys under a prefix down into a folder, or a folder up under a prefix. */
export type FloorJob = {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  /** Ending in '/'. */
  prefix: string;
  /** Requests in flight at once. */
  concurrency: number;
} & (
  | { kind: 'download'; targetDir: string }
  | {
      kind: 'upload';
      /** Sent as prefix + its name + '/' + each file's relative path, as s5cmd and the app name them. */
      sourceDir: string;
    }
);

/** What the child reports: down, from the first listing request to the last file renamed; up, from the folder's readdir to the last PUT's answer. */
export interface FloorResult {
  ms: number;
  userMs: number;
  systemMs: number;
  files: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.env.FLOOR_JOB ?? 'null') as FloorJob | null;
  if (!job) throw new Error('FLOOR_JOB is not set');
  const endpoint = new URL(job.endpoint);
  const credentials = { accessKeyId: job.accessKeyId, secretAccessKey: job.secretAccessKey };
  // The SDK's own SHA-256 (node:crypto underneath), as the app's lean requests sign with.
  const sha256 = new S3Client({ region: 'us-east-1', credentials }).config.sha256;
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 's3', sha256, uriEscapePath: false });
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });

  /** A signed GET (no body) or PUT (of `body`); resolves to the answer's body when it is 200. */
  async function send(pathname: string, query: Record<string, string> = {}, body?: Buffer): Promise<Buffer> {
    const method = body ? 'PUT' : 'GET';
    const signed = await signer.sign({
      method,
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: Number(endpoint.port),
      path: pathname,
      query,
      headers: body
        ? {
            host: endpoint.host,
            'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
            'content-length': String(body.length),
          }
        : { host: endpoint.host, 'x-amz-content-sha256': EMPTY_SHA256 },
    });
    const search = new URLSearchParams(query).toString();
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent,
          method,
          host: endpoint.hostname,
          port: endpoint.port,
          path: search ? `${pathname}?${search}` : pathname,
          headers: signed.headers,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () =>
            response.statusCode === 200
              ? resolve(Buffer.concat(chunks))
              : reject(new Error(`${method} ${pathname}: HTTP ${response.statusCode}`)),
          );
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  /** Lists the prefix, then fetches every key into the target folder; the number of files. */
  async function download(down: FloorJob & { kind: 'download' }): Promise<number> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = (
        await send(`/${down.bucket}`, {
          'list-type': '2',
          prefix: down.prefix,
          ...(token ? { 'continuation-token': token } : {}),
        })
      ).toString('utf8');
      // MinIO's keys here are plain names (no entities to decode): the floor reads only <Key>.
      for (const match of page.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(match[1] ?? '');
      token = /<NextContinuationToken>([^<]*)</.exec(page)?.[1];
    } while (token);

    // One mkdir per folder, shared by the workers that write into it.
    const folders = new Map<string, Promise<unknown>>();
    let next = 0;
    async function worker(): Promise<void> {
      while (next < keys.length) {
        const key = keys[next++] ?? '';
        const body = await send(`/${down.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`);
        const file = path.join(down.targetDir, key.slice(down.prefix.length));
        const folder = path.dirname(file);
        if (!folders.has(folder)) folders.set(folder, mkdir(folder, { recursive: true }));
        await folders.get(folder);
        const temporary = path.join(folder, `.${path.basename(file)}.part`);
        await writeFile(temporary, body);
        await rename(temporary, file);
      }
    }
    await Promise.all(Array.from({ length: down.concurrency }, worker));
    return keys.length;
  }

  /** Sends every file below the source folder, one PUT each; the number of files. */
  async function upload(up: FloorJob & { kind: 'upload' }): Promise<number> {
    const entries = await readdir(up.sourceDir, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(up.sourceDir, path.join(entry.parentPath, entry.name)));
    const base = `${up.prefix}${path.basename(up.sourceDir)}/`;
    let next = 0;
    async function worker(): Promise<void> {
      while (next < files.length) {
        const relative = files[next++] ?? '';
        const body = await readFile(path.join(up.sourceDir, relative));
        const key = base + relative.split(path.sep).join('/');
        await send(`/${up.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`, {}, body);
      }
    }
    await Promise.all(Array.from({ length: up.concurrency }, worker));
    return files.length;
  }

  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const files = job.kind === 'download' ? await download(job) : await upload(job);
  const cpu = process.cpuUsage(cpuBefore);
  const result: FloorResult = {
    ms: performance.now() - started,
    userMs: cpu.user / 1000,
    systemMs: cpu.system / 1000,
    files,
  };
  agent.destroy();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
