import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/** Debian's Chromium, as in the project's own Playwright configuration. */
const chromium = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) => existsSync(path));

/** Where the traces go: a folder the test makes and removes (never the repository's). */
const outputDir = process.env.TRACE_FIXTURE_OUTPUT;
if (!outputDir) throw new Error('Run through scripts/trace-typed-input.test.ts, which names the output folder.');

/**
 * Runs forms.spec.ts for scripts/trace-typed-input.test.ts: every test there fails on purpose,
 * so Playwright keeps its trace, written under the folder that test names.
 */
export default defineConfig({
  testDir: '.',
  testMatch: 'forms.spec.ts',
  outputDir,
  workers: 1,
  timeout: 30_000,
  reporter: 'line',
  use: {
    trace: 'retain-on-failure',
    launchOptions: { ...(chromium ? { executablePath: chromium } : {}), args: ['--no-sandbox', '--disable-gpu'] },
  },
});
