import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { failures, firstLines, summarize } from './test-summary';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A folder laid out as scripts/test-session.sh leaves test-results/, with the given reports. */
function resultsRoot(reports: Record<string, unknown>): string {
  const root = mkdtempSync(path.join(tmpdir(), 's3fm-summary-'));
  roots.push(root);
  mkdirSync(path.join(root, 'test-results'));
  for (const [name, report] of Object.entries(reports)) {
    writeFileSync(path.join(root, 'test-results', `${name}.json`), JSON.stringify(report));
  }
  return root;
}

describe('test summary', () => {
  it('names each failed test with the first lines of its error, and files that failed to load', () => {
    const root = resultsRoot({
      'vitest-electron-node': {
        numPassedTests: 3,
        numFailedTests: 1,
        numPendingTests: 0,
        testResults: [
          {
            name: '/repo/src/main/queue.test.ts',
            status: 'failed',
            assertionResults: [
              { fullName: 'queue keeps order', status: 'passed', failureMessages: [] },
              {
                fullName: 'queue cleans up',
                status: 'failed',
                failureMessages: [
                  '\u001b[31mAssertionError: expected 190 to be less than 150\u001b[39m\n\n    at a\n    at b\n    at c\n    at d',
                ],
              },
            ],
          },
          {
            name: '/repo/test/broken.int.test.ts',
            status: 'failed',
            message: 'Cannot find module x',
            assertionResults: [],
          },
        ],
      },
      playwright: {
        stats: { expected: 1, unexpected: 1, flaky: 0, skipped: 0 },
        suites: [
          {
            title: 'updates.spec.ts',
            specs: [],
            suites: [
              {
                title: 'settings',
                specs: [
                  {
                    title: 'turns off',
                    file: 'updates.spec.ts',
                    line: 11,
                    tests: [
                      { status: 'unexpected', results: [{ errors: [{ message: 'Error: ENOENT settings.json' }] }] },
                    ],
                  },
                  { title: 'passes', file: 'updates.spec.ts', line: 40, tests: [{ status: 'expected', results: [] }] },
                ],
              },
            ],
          },
        ],
        errors: [],
      },
    });
    const failed = failures(root);
    expect(failed).toHaveLength(3);
    expect(failed[0]?.test.where).toMatch(/queue\.test\.ts › queue cleans up$/);
    expect(failed[0]?.test.message).toBe(
      'AssertionError: expected 190 to be less than 150\n    at a\n    at b\n    at c',
    );
    expect(failed[1]?.test.where).toMatch(/broken\.int\.test\.ts$/);
    expect(failed[1]?.test.message).toBe('Cannot find module x');
    expect(failed[2]).toEqual({
      stage: 'playwright',
      test: {
        where: 'updates.spec.ts:11 › settings › turns off',
        message: 'Error: ENOENT settings.json',
      },
    });
    expect(summarize(root, ['vitest-electron-node', 'playwright'])).toEqual({ passed: 4, failed: 3, skipped: 0 });
  });

  it('keeps only the first non-empty lines of a long error', () => {
    expect(firstLines('one\n\n two\nthree\nfour\nfive', 2)).toBe('one\n two');
  });
});
