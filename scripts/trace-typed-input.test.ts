import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanForSecrets, zipEntries } from './secrets-scan';
import { withoutTypedInput } from './trace-typed-input';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const secret = `key/${randomBytes(18).toString('base64')}`;
const secrets = [{ label: 'typed secret', secret }];
let output: string;

/** The trace Playwright kept for the fixture's test whose title starts with `title`. */
async function traceOf(title: string): Promise<string> {
  const folder = (await readdir(output)).find((name) => name.startsWith(`forms-${title}`));
  if (!folder) throw new Error(`no trace for "${title}" in ${output}: ${(await readdir(output)).join(', ')}`);
  return path.join(output, folder, 'trace.zip');
}

/** One frame-snapshot event holding a password field with `value`, as Playwright writes it. */
const snapshotLine = (value: string) =>
  JSON.stringify({
    type: 'frame-snapshot',
    snapshot: { html: ['HTML', {}, ['BODY', {}, ['INPUT', { __playwright_value_: value, type: 'password' }]]] },
  });
/** One WebSocket frame the page sent or received whose message carries `value`, as Playwright logs it. */
const frameLine = (type: 'send' | 'receive', value: string) =>
  JSON.stringify({
    type,
    time: 1,
    opcode: 1,
    data: JSON.stringify({ id: 1, channel: 'accounts.save', input: { value } }),
  });
/** The start of a `fill` action typing `value`, as Playwright writes it. */
const fillLine = (value: string) =>
  JSON.stringify({ type: 'before', callId: 'call@1', method: 'fill', params: { selector: 'x', value } });

describe('what a test typed, taken out of its Playwright trace', () => {
  beforeAll(async () => {
    output = await mkdtemp(path.join(tmpdir(), 'trace-typed-input-'));
    // Playwright's own runner and Chromium: both of the fixture's tests fail on purpose.
    const run = spawnSync(
      process.execPath,
      [
        path.join(repo, 'node_modules/@playwright/test/cli.js'),
        'test',
        '-c',
        path.join(repo, 'scripts/trace-fixture/playwright.config.ts'),
      ],
      {
        cwd: repo,
        env: { ...process.env, TRACE_FIXTURE_SECRET: secret, TRACE_FIXTURE_OUTPUT: output },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(run.stdout, run.stderr).toContain('2 failed');
  }, 150_000);
  afterAll(async () => rm(output, { recursive: true, force: true }));

  it('finds nothing where the page forgot the secret once the form was saved', async () => {
    const trace = await traceOf('a-form-that-forgets');
    // Playwright recorded the typing (the action and the password field in its snapshots)…
    const raw = zipEntries(await readFile(trace)).filter((entry) => entry.data.includes(secret));
    expect(raw.map((entry) => entry.name)).toEqual(
      expect.arrayContaining(['test.trace', expect.stringMatching(/^\d+-trace\.trace$/)]),
    );
    // …which is the test's own input: the scan of that test's folder finds nothing.
    const report = await scanForSecrets([path.dirname(trace)], secrets);
    expect(report.archives).toBe(1);
    expect(report.findings).toEqual([]);
  });

  it('finds the secret where the page showed it once the form was saved', async () => {
    const trace = await traceOf('a-form-that-shows');
    const report = await scanForSecrets([path.dirname(trace)], secrets);
    const places = report.findings.map((finding) => path.relative(path.dirname(trace), finding.file));
    // The page's text in its snapshots and its console message, and the page as the failure saw it.
    expect(places).toEqual(
      expect.arrayContaining([expect.stringMatching(/^trace\.zip!\d+-trace\.trace$/), 'error-context.md']),
    );
  });

  it('keeps a password field or a frame sent holding anything the test did not type, and every frame received', () => {
    const search = (lines: string[]) =>
      withoutTypedInput([{ name: '0-trace.trace', data: Buffer.from(lines.join('\n')) }])[0]!.data.includes(secret);
    expect(search([fillLine(secret), snapshotLine(secret)])).toBe(false);
    expect(search([fillLine('something else'), snapshotLine(secret)])).toBe(true);
    expect(search([snapshotLine(secret)])).toBe(true);
    // The frame that submits the form carries what the test typed; a frame the page received does not.
    const frames = (lines: string[], typedText: string) =>
      withoutTypedInput([
        { name: '0-trace.trace', data: Buffer.from(fillLine(typedText)) },
        { name: 'resources/0a1b.jsonl', data: Buffer.from(lines.join('\n')) },
      ])[1]!.data.includes(secret);
    expect(frames([frameLine('send', secret)], secret)).toBe(false);
    expect(frames([frameLine('send', secret), frameLine('receive', secret)], secret)).toBe(true);
    expect(frames([frameLine('send', secret)], 'something else')).toBe(true);
    expect(frames([frameLine('send', `${secret} and more`)], secret)).toBe(true);
    // Only event files are read as events: the same lines in a resource are searched whole.
    const resource = withoutTypedInput([{ name: 'resources/a.json', data: Buffer.from(fillLine(secret)) }]);
    expect(resource[0]!.data.includes(secret)).toBe(true);
  });
});
