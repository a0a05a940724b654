/**
 * Measures upload and download throughput of the transfer queue against a local MinIO for a
 * few settings, to choose the defaults. Prints one line per setting.
 *
 * Usage: node --import tsx test/transfer-bench.ts [sizeMiB=200]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startMinio } from '../scripts/minio';
import { writeRandomFile } from './transfer-files';
import { startTransferServices } from './transfer-services';

const sizeMiB = Number(process.argv[2] ?? 200);
const combos = [
  { partSizeMiB: 8, partsInParallel: 2 },
  { partSizeMiB: 8, partsInParallel: 4 },
  { partSizeMiB: 8, partsInParallel: 8 },
  { partSizeMiB: 16, partsInParallel: 4 },
  { partSizeMiB: 32, partsInParallel: 4 },
];

async function main(): Promise<void> {
  const minio = await startMinio();
  const work = await mkdtemp(join(tmpdir(), 's3fm-bench-'));
  try {
    const client = new S3Client({
      endpoint: minio.endpoint,
      region: minio.region,
      credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
      forcePathStyle: true,
    });
    await client.send(new CreateBucketCommand({ Bucket: 'bench' }));
    client.destroy();
    const file = join(work, 'bench.bin');
    await writeRandomFile(file, sizeMiB * 1024 * 1024);
    for (const combo of combos) {
      const transfers = await startTransferServices({
        endpoint: minio.endpoint,
        accessKeyId: minio.accessKeyId,
        secretAccessKey: minio.secretAccessKey,
      });
      await transfers.callRaw('transfers.saveSettings', {
        settings: { multipartThresholdMiB: 16, filesInParallel: 3, maxRetries: 5, ...combo },
      });
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 20);
      const up = Date.now();
      const { batchId } = await transfers.call<{ batchId: string }>('transfers.upload', {
        bucket: 'bench',
        prefix: '',
        source: { kind: 'paths', paths: [file] },
        onConflict: 'replace',
      });
      await transfers.batchFinished(batchId);
      const upMs = Date.now() - up;
      const down = Date.now();
      const target = await mkdtemp(join(work, 'down-'));
      const download = await transfers.call<{ batchId: string }>('transfers.download', {
        bucket: 'bench',
        items: ['bench.bin'],
        targetDir: target,
      });
      await transfers.batchFinished(download.batchId);
      const downMs = Date.now() - down;
      await rm(target, { recursive: true, force: true });
      await transfers.dispose();
      clearInterval(sampler);
      const rate = (ms: number) => ((sizeMiB / ms) * 1000).toFixed(0);
      console.log(
        `part ${combo.partSizeMiB} MiB × ${combo.partsInParallel}: upload ${upMs} ms (${rate(upMs)} MiB/s), download ${downMs} ms (${rate(downMs)} MiB/s), peak Buffer memory ${(peak / 1024 / 1024).toFixed(0)} MiB`,
      );
    }
  } finally {
    await rm(work, { recursive: true, force: true });
    await minio.stop();
  }
}

void main();
