import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Lints one snippet as if it lived at `filePath`, and returns the rule ids that fired. */
async function rulesFiredFor(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layer boundaries are enforced by lint', () => {
  it('refuses electron in src/main/services', async () => {
    const fired = await rulesFiredFor(
      'src/main/services/probe.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
    );
    expect(fired).toContain('no-restricted-imports');
  });

  it('refuses the AWS SDK in the renderer', async () => {
    const code = "import { S3Client } from '@aws-sdk/client-s3';\nexport const c = S3Client;\n";
    expect(await rulesFiredFor('src/renderer/probe.ts', code)).toContain('no-restricted-imports');
  });

  it('refuses Node modules in the renderer and in shared code', async () => {
    const code = "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n";
    expect(await rulesFiredFor('src/renderer/probe.ts', code)).toContain('no-restricted-imports');
    expect(await rulesFiredFor('src/shared/probe.ts', "import path from 'path';\nexport const p = path;\n")).toContain(
      'no-restricted-imports',
    );
  });

  it('refuses main in the renderer', async () => {
    const code = "import { dispatch } from '../main/host/dispatch';\nexport const d = dispatch;\n";
    expect(await rulesFiredFor('src/renderer/probe.ts', code)).toContain('no-restricted-imports');
  });

  it('allows electron where it belongs', async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    expect(await rulesFiredFor('src/main/electron/probe.ts', code)).not.toContain('no-restricted-imports');
    expect(await rulesFiredFor('src/preload/probe.ts', code)).not.toContain('no-restricted-imports');
  });
});
