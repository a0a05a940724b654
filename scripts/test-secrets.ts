/**
 * The secrets a test run uses, written down so that scripts/secrets-scan.ts can look for
 * them afterwards in everything the run left behind. Only inside `npm test`: the session
 * (scripts/test-session.sh) sets S3FM_TEST_SECRETS_DIR; elsewhere (the demo, a developer's
 * own vitest run) nothing is written. The values are test-only credentials (a throwaway
 * MinIO's root password, a generated SSE-C key), never a person's.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One secret a test used, and what it is (the scan names the label, never the value). */
export interface TestSecret {
  label: string;
  secret: string;
}

/** The folder of the current run's secret lists, or undefined outside `npm test`. */
export function testSecretsDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.S3FM_TEST_SECRETS_DIR || undefined;
}

/**
 * Notes secrets a test uses (one JSON line each, in a file per process, written at once so
 * that nothing is lost when the process is killed). Does nothing outside `npm test`.
 */
export function registerTestSecrets(label: string, ...secrets: (string | undefined)[]): void {
  const folder = testSecretsDir();
  if (!folder) return;
  const lines = secrets
    .filter((secret): secret is string => typeof secret === 'string' && secret !== '')
    .map((secret) => `${JSON.stringify({ label, secret })}\n`);
  if (lines.length === 0) return;
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  appendFileSync(path.join(folder, `secrets-${process.pid}.jsonl`), lines.join(''), { mode: 0o600 });
}

/** Every secret noted in a folder, each once. */
export function readTestSecrets(folder: string): TestSecret[] {
  const found = new Map<string, TestSecret>();
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.jsonl'));
  } catch {
    return [];
  }
  for (const name of names) {
    for (const line of readFileSync(path.join(folder, name), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const entry = JSON.parse(line) as Partial<TestSecret>;
        if (typeof entry.secret === 'string' && typeof entry.label === 'string' && !found.has(entry.secret))
          found.set(entry.secret, { label: entry.label, secret: entry.secret });
      } catch {
        // A line cut by a killed process: the others still count.
      }
    }
  }
  return [...found.values()];
}
