/** Local files for transfer tests: random content written in pieces, and checksums of files and objects. */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** Writes `size` random bytes to a file, 8 MiB at a time (never the whole file in memory); returns its SHA-256. */
export async function writeRandomFile(path: string, size: number): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const hash = createHash('sha256');
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < size;) {
      const piece = randomBytes(Math.min(8 * 1024 * 1024, size - written));
      hash.update(piece);
      await handle.write(piece);
      written += piece.length;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** Writes a small file with the given bytes. */
export async function writeSmallFile(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

/** A digest of a local file, read as a stream. */
export async function fileDigest(path: string, algorithm: 'sha256' | 'md5' = 'sha256'): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** The SHA-256 of an object, from one full GET. */
export async function objectSha256(client: S3Client, bucket: string, key: string): Promise<string> {
  const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  await pipeline(output.Body as Readable, hash);
  return hash.digest('hex');
}

/** The bytes of a (small) object. */
export async function objectBytes(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await (output.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}
