import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** One sample object: key, body and content type. */
interface SampleObject {
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

/** The demo's buckets and what they hold: folders, several file types, a name with spaces. */
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

/** Creates the demo buckets and objects on a server. */
export async function seedDemoData(client: S3Client): Promise<void> {
  for (const [bucket, objects] of Object.entries(demoBuckets)) {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const object of objects) {
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
