/**
 * The fault soak inside `npm test`: 2 minutes (S3FM_SOAK_MINUTES to change it) of uploads,
 * downloads, copies, moves and deletes through the app's services while the fault proxy cuts,
 * stalls, resets and answers 500/503/SlowDown and bursts of 403. Every byte must come out as it
 * went in, no multipart upload may be left, and nothing may be deleted that should not be.
 * The seed is printed (S3FM_SOAK_SEED repeats a run); `npm run soak` runs it for 10 minutes.
 */
import { randomInt } from 'node:crypto';
import { expect, inject, test } from 'vitest';
import { describeSoak, runFaultSoak } from './fault-soak';

const s3 = inject('s3');
const minutes = Number(process.env.S3FM_SOAK_MINUTES ?? 2);
const seed = process.env.S3FM_SOAK_SEED ? Number(process.env.S3FM_SOAK_SEED) : randomInt(2 ** 31);

test(
  `fault soak for ${minutes} min: every byte verified, no upload left, nothing lost`,
  async () => {
    console.log(`fault soak: seed ${seed} (repeat with S3FM_SOAK_SEED=${seed})`);
    // Inside npm test only what went wrong is printed as it happens; the counts come at the end.
    const report = await runFaultSoak({
      s3,
      minutes,
      seed,
      log: (line) => {
        if (line.startsWith('PROBLEM')) console.log(line);
      },
    });
    console.log(describeSoak(report).join('\n'));
    expect(report.problems).toEqual([]);
    expect(report.rounds).toBeGreaterThan(0);
    expect(report.faultsInjected).toBeGreaterThan(0);
    expect(report.verified.objects).toBeGreaterThan(0);
    expect(report.verified.localFiles).toBeGreaterThan(0);
  },
  // The soak's minutes, the round running when they end, and the final checks.
  (minutes + 6) * 60_000,
);
