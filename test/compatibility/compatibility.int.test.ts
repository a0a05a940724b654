/**
 * The compatibility suite: every journey (journeys.ts) against every target (targets.ts): four
 * real S3 servers and five provider profiles. A journey must pass, or come out "unavailable,
 * because …" in the app's own words; a failure fails the run. The results are written to
 * test-results/compatibility.json, from which `npm run compat:report` writes
 * docs/compatibility.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { ServiceCapabilities } from '../../src/shared/capabilities';
import { connectApp, type AppOnTarget } from './harness';
import { journeys, runJourney, type JourneyResult } from './journeys';
import type { CompatibilityResults } from './results';
import { startTarget, targetIds, type CompatibilityTarget } from './targets';

/** What the run found: each target's version and detected capabilities, and each journey's result. */
const report: Pick<CompatibilityResults, 'startedAt' | 'targets'> = {
  startedAt: new Date().toISOString(),
  targets: [],
};

afterAll(async () => {
  await mkdir('test-results', { recursive: true });
  const journeyList = journeys.map(({ id, label }) => ({ id, label }));
  await writeFile(
    'test-results/compatibility.json',
    `${JSON.stringify({ ...report, finishedAt: new Date().toISOString(), journeys: journeyList }, null, 2)}\n`,
  );
});

const minio = inject('s3');

/** S3FM_COMPAT_TARGETS=minio,s3rver runs only those (while working on one); the run and CI run all. */
const chosen = process.env['S3FM_COMPAT_TARGETS']?.split(',').filter(Boolean);

for (const id of targetIds.filter((target) => !chosen || chosen.includes(target))) {
  describe.sequential(`compatibility: ${id}`, () => {
    let target: CompatibilityTarget | undefined;
    let app: AppOnTarget | undefined;
    const entry = {
      id,
      label: id,
      kind: '',
      version: '',
      provider: '',
      capabilities: null as ServiceCapabilities | null,
      results: {} as Record<string, JourneyResult>,
    };
    report.targets.push(entry);

    beforeAll(async () => {
      target = await startTarget(id, minio);
      Object.assign(entry, {
        label: target.label,
        kind: target.kind,
        version: target.version,
        provider: target.provider,
      });
      app = await connectApp(target);
    }, 180_000);

    afterAll(async () => {
      if (app) {
        // What the app found out about the service by the end (presets, probes, answers).
        const bucket = await app.bucket().catch(() => undefined);
        entry.capabilities = bucket
          ? await app.call<ServiceCapabilities>('capabilities.get', { bucket }).catch(() => null)
          : null;
        await app.close();
      }
      await target?.stop();
    }, 120_000);

    for (const journey of journeys) {
      test(journey.label, { timeout: 240_000 }, async () => {
        const result = await runJourney(journey, app!);
        entry.results[journey.id] = result;
        expect(result.status, `${journey.label} on ${id}: ${result.detail}`).not.toBe('fail');
      });
    }
  });
}
