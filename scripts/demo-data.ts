/**
 * The demo's sample buckets, and how they are put on a server so that every object shows in
 * the app on each server the demo may use (MinIO, moto, s3rver).
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** One sample object: key, body and content type. */
export interface SampleObject {
  key: string;
  body: string | Uint8Array;
  contentType: string;
}

/** A 1x1 PNG, so the image folders hold real images. */
const tinyPng = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);

/**
 * The demo's buckets and what they hold: nested folders, several file types, a name with
 * spaces, an empty folder ('avatars/', a folder object). Key segments stay short: s3rver
 * crashes on one over about 240 bytes (its file name on disk gets a suffix).
 */
export const demoBuckets: Record<string, SampleObject[]> = {
  'demo-photos': [
    { key: '2025/summer/beach.png', body: tinyPng, contentType: 'image/png' },
    { key: '2025/summer/mountains.png', body: tinyPng, contentType: 'image/png' },
    { key: '2026/winter/snow day.png', body: tinyPng, contentType: 'image/png' },
    { key: 'avatars/', body: '', contentType: 'application/x-directory' },
  ],
  'demo-documents': [
    { key: 'README.txt', body: 'Welcome to the S3 File Manager demo.\n', contentType: 'text/plain' },
    { key: 'reports/2026-q1.csv', body: 'month,revenue\njan,100\nfeb,120\nmar,140\n', contentType: 'text/csv' },
    { key: 'reports/2026-q2.csv', body: 'month,revenue\napr,150\nmay,160\njun,170\n', contentType: 'text/csv' },
    { key: 'notes/meeting notes.md', body: '# Meeting\n\n- ship the demo\n', contentType: 'text/markdown' },
  ],
  'demo-backups': [{ key: 'db/2026-11-01.sql', body: '-- demo dump\n', contentType: 'application/sql' }],
};

/** The size in bytes a sample object has once stored. */
export function sampleSize(object: SampleObject): number {
  return typeof object.body === 'string' ? Buffer.byteLength(object.body) : object.body.byteLength;
}

/**
 * Every folder above the given keys, parents first ('2025/summer/x.png' → '2025/', '2025/summer/').
 * The demo stores each one as a folder object (an empty object whose key ends in '/', what
 * the app's New folder and the AWS console make): s3rver walks only one level of its disk
 * folders below the listed prefix, so it reports a folder only while an object lies directly
 * in it, and without these '2025/' and '2026/' (with every photo under them) were missing
 * from demo-photos. Other servers list them the same with or without.
 */
export function foldersAbove(keys: string[]): string[] {
  const folders = new Set<string>();
  for (const key of keys) {
    const segments = key.split('/').slice(0, -1);
    for (let depth = 1; depth <= segments.length; depth++) folders.add(`${segments.slice(0, depth).join('/')}/`);
  }
  const listed = new Set(keys);
  return [...folders].filter((folder) => !listed.has(folder)).sort();
}

/** Creates the demo buckets and objects on a server, a folder object for every folder included. */
export async function seedDemoData(client: S3Client): Promise<void> {
  for (const [bucket, objects] of Object.entries(demoBuckets)) {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const folders = foldersAbove(objects.map((object) => object.key)).map((key): SampleObject => ({
      key,
      body: '',
      contentType: 'application/x-directory',
    }));
    for (const object of [...folders, ...objects]) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: object.key,
          // Bytes, not a string: the SDK then knows the length and sends no chunked stream.
          Body: typeof object.body === 'string' ? Buffer.from(object.body) : object.body,
          ContentType: object.contentType,
        }),
      );
    }
  }
}

/** Where a demo server listens and how to sign requests to it (a RunningS3Server has all this). */
export interface DemoServerAddress {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Seeds a running server through a client made for it, path-style, with the checksums every non-AWS service takes. */
export async function seedDemoServer(server: DemoServerAddress): Promise<void> {
  const client = new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    // The SDK's default CRC32 framing would be stored inside the objects by s3rver (DESIGN.md).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    await seedDemoData(client);
  } finally {
    client.destroy();
  }
}
