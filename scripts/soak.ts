/**
 * `npm run soak`: the fault soak (test/soak/fault-soak.ts) against a MinIO of its own, 10
 * minutes unless told otherwise. Prints the seed first, so a run can be repeated, then one line
 * per round and the counts; exits 1 when anything did not hold.
 *
 * Usage: npm run soak -- [--minutes N] [--seed S] [--workers W]
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { describeSoak, runFaultSoak } from '../test/soak/fault-soak';
import { MINIO_MODULE_VERSION, startMinio } from './minio';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      seed: { type: 'string' },
      workers: { type: 'string', default: '2' },
    },
  });
  const minutes = Number(values.minutes);
  const seed = values.seed === undefined ? randomInt(2 ** 31) : Number(values.seed);
  const workers = Number(values.workers);
  if (!(minutes > 0) || !Number.isInteger(seed) || !(workers >= 1)) {
    console.error('usage: npm run soak -- [--minutes N] [--seed S] [--workers W]');
    return 2;
  }
  console.log(`fault soak: seed ${seed} (repeat with --seed ${seed}), ${minutes} min, ${workers} workers`);
  const { stop, ...s3 } = await startMinio();
  console.log(`MinIO ${MINIO_MODULE_VERSION} at ${s3.endpoint}`);
  try {
    const report = await runFaultSoak({ s3, minutes, seed, workers, log: (line) => console.log(line) });
    for (const line of describeSoak(report)) console.log(line);
    for (const problem of report.problems) console.log(`  - ${problem}`);
    return report.problems.length === 0 ? 0 : 1;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
