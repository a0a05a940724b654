/**
 * Prints the one-line total of a `npm test` run from the stage results that
 * scripts/test-session.sh leaves behind:
 *   - test-results/vitest.json      Vitest's json reporter (Jest-compatible counts): renderer, preload, scripts
 *   - test-results/vitest-electron-node.json   the same for src/main, src/shared and test/, run on Electron's Node
 *   - test-results/playwright.json  Playwright's json reporter (`stats`)
 *   - TEST_FAILED_STAGES            space-separated names of the stages that exited non-zero
 * A failed stage with no failed test in its results (lint, a build, a crashed runner)
 * counts as one failure, so the total never reads "0 failed" after a red run.
 * Exits 1 if anything failed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Test counts of one stage, or of the whole run. */
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Counts from Vitest's json reporter: `numPassedTests`, `numFailedTests`, `numPendingTests`, `numTodoTests`. */
export function countVitest(report: Record<string, unknown>): Counts {
  // A file that fails to load (or a failing beforeAll) fails with no failed test in it:
  // count each such file as one failure.
  const files = Array.isArray(report.testResults) ? (report.testResults as Record<string, unknown>[]) : [];
  const filesFailedWithoutTests = files.filter(
    (file) =>
      file.status === 'failed' &&
      !(
        Array.isArray(file.assertionResults) &&
        (file.assertionResults as Record<string, unknown>[]).some((test) => test.status === 'failed')
      ),
  ).length;
  return {
    passed: num(report.numPassedTests),
    failed: num(report.numFailedTests) + filesFailedWithoutTests,
    skipped: num(report.numPendingTests) + num(report.numTodoTests),
  };
}

/** Counts from Playwright's json reporter `stats`; a flaky test passed on retry, so it counts as passed. */
export function countPlaywright(report: Record<string, unknown>): Counts {
  const stats = (report.stats ?? {}) as Record<string, unknown>;
  return {
    passed: num(stats.expected) + num(stats.flaky),
    failed: num(stats.unexpected),
    skipped: num(stats.skipped),
  };
}

/** The stages whose results are files, and how to count them. */
const resultFiles: Record<string, { file: string; count: (report: Record<string, unknown>) => Counts }> = {
  'vitest-electron-node': { file: 'test-results/vitest-electron-node.json', count: countVitest },
  vitest: { file: 'test-results/vitest.json', count: countVitest },
  playwright: { file: 'test-results/playwright.json', count: countPlaywright },
};

/** Sums the stages' results in `root`; each failed stage without a failed test of its own adds one failure. */
export function summarize(root: string, failedStages: readonly string[]): Counts {
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  const stageFailures = new Map<string, number>();
  for (const [stage, { file, count }] of Object.entries(resultFiles)) {
    const full = path.join(root, file);
    if (!existsSync(full)) continue;
    let counts: Counts;
    try {
      counts = count(JSON.parse(readFileSync(full, 'utf8')) as Record<string, unknown>);
    } catch (err) {
      console.error(`could not read ${file}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
    stageFailures.set(stage, counts.failed);
  }
  for (const stage of failedStages) {
    if (!stageFailures.get(stage)) total.failed += 1;
  }
  return total;
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const failedStages = (process.env.TEST_FAILED_STAGES ?? '').split(/[\s,]+/).filter(Boolean);
  const total = summarize(root, failedStages);
  if (failedStages.length > 0) console.log(`failed stages: ${failedStages.join(', ')}`);
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  if (total.failed > 0 || failedStages.length > 0) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
