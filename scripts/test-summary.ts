/**
 * Prints the one-line total of a `npm test` run from the stage results that
 * scripts/test-session.sh leaves behind:
 *   - test-results/vitest.json      Vitest's json reporter (Jest-compatible counts): renderer, preload, scripts
 *   - test-results/vitest-electron-node.json   the same for src/main, src/shared and test/, run on Electron's Node
 *   - test-results/playwright.json  Playwright's json reporter (`stats`)
 *   - TEST_FAILED_STAGES            space-separated names of the stages that exited non-zero
 * A failed stage with no failed test in its results (lint, a build, a crashed runner)
 * counts as one failure, so the total never reads "0 failed" after a red run.
 * Before the total it names each failed test with the first lines of its error, so that the
 * tail of a CI log (often all that is kept) says which test failed and why.
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

/** One failed test: where it is (file and name) and the first lines of its error. */
export interface FailedTest {
  where: string;
  message: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const list = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? (value as Record<string, unknown>[]) : [];

/** The first `lines` non-empty lines of an error, without terminal colours. */
export function firstLines(message: string, lines = 4): string {
  return (
    message
      // eslint-disable-next-line no-control-regex -- terminal colour codes are what is removed
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line.trim() !== '')
      .slice(0, lines)
      .join('\n')
  );
}

/** The failed tests in Vitest's json report, and the files that failed to load or set up. */
export function failedVitest(report: Record<string, unknown>, root = ''): FailedTest[] {
  const failed: FailedTest[] = [];
  for (const file of list(report.testResults)) {
    const name = root ? path.relative(root, text(file.name)) : text(file.name);
    const tests = list(file.assertionResults).filter((test) => test.status === 'failed');
    for (const test of tests) {
      const messages = Array.isArray(test.failureMessages) ? test.failureMessages.map(text) : [];
      failed.push({ where: `${name} › ${text(test.fullName)}`, message: firstLines(messages.join('\n')) });
    }
    if (file.status === 'failed' && tests.length === 0) {
      failed.push({ where: name, message: firstLines(text(file.message)) });
    }
  }
  return failed;
}

/** The failed tests in Playwright's json report (a test that passed on a retry is not one). */
export function failedPlaywright(report: Record<string, unknown>): FailedTest[] {
  const failed: FailedTest[] = [];
  const walk = (suite: Record<string, unknown>, titles: string[]): void => {
    for (const spec of list(suite.specs)) {
      for (const test of list(spec.tests)) {
        if (test.status !== 'unexpected') continue;
        const results = list(test.results);
        const errors = list(results[results.length - 1]?.errors).map((error) => text(error.message));
        failed.push({
          where: `${text(spec.file)}:${String(spec.line)} › ${[...titles, text(spec.title)].join(' › ')}`,
          message: firstLines(errors.join('\n')),
        });
      }
    }
    for (const child of list(suite.suites)) walk(child, [...titles, text(child.title)]);
  };
  for (const suite of list(report.suites)) walk(suite, []);
  for (const error of list(report.errors))
    failed.push({ where: 'playwright', message: firstLines(text(error.message)) });
  return failed;
}

/** The stages whose results are files, and how to count them and name their failures. */
const resultFiles: Record<
  string,
  {
    file: string;
    count: (report: Record<string, unknown>) => Counts;
    failures: (report: Record<string, unknown>, root: string) => FailedTest[];
  }
> = {
  'vitest-electron-node': {
    file: 'test-results/vitest-electron-node.json',
    count: countVitest,
    failures: failedVitest,
  },
  vitest: { file: 'test-results/vitest.json', count: countVitest, failures: failedVitest },
  playwright: { file: 'test-results/playwright.json', count: countPlaywright, failures: failedPlaywright },
};

/** The failed tests of every stage whose results are in `root`, by stage. */
export function failures(root: string): { stage: string; test: FailedTest }[] {
  const all: { stage: string; test: FailedTest }[] = [];
  for (const [stage, { file, failures: read }] of Object.entries(resultFiles)) {
    const full = path.join(root, file);
    if (!existsSync(full)) continue;
    try {
      for (const test of read(JSON.parse(readFileSync(full, 'utf8')) as Record<string, unknown>, root)) {
        all.push({ stage, test });
      }
    } catch {
      // summarize() says that the file could not be read.
    }
  }
  return all;
}

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
  const failed = failures(root);
  const shown = 12;
  for (const { stage, test } of failed.slice(0, shown)) {
    console.log(`FAILED [${stage}] ${test.where}`);
    if (test.message) console.log(test.message.replace(/^/gm, '    '));
  }
  if (failed.length > shown) console.log(`... and ${failed.length - shown} more failed test(s) in test-results/`);
  if (failedStages.length > 0) console.log(`failed stages: ${failedStages.join(', ')}`);
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  if (total.failed > 0 || failedStages.length > 0) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
