import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * electron-builder.yml checked by electron-builder's own validator (its JSON schema and the
 * deprecation checks it runs before every build), reached through electron-builder itself:
 * app-builder-lib is its library. Offline: the schema ships in the package.
 */
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const { getConfig, validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config') as {
  getConfig(
    projectDir: string,
    configPath: string | null,
    configFromOptions: unknown,
  ): Promise<Record<string, unknown>>;
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const root = path.resolve('.');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  productName: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('packaging config', { timeout: 60_000 }, () => {
  it("passes electron-builder's validation", async () => {
    const config = await getConfig(root, 'electron-builder.yml', null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is validated for real: a wrong option is refused', async () => {
    const config = await getConfig(root, 'electron-builder.yml', null);
    await expect(
      validateConfiguration({ ...config, mac: { hardenedRuntime: 'yes' } }, new DebugLogger(false)),
    ).rejects.toThrow(/hardenedRuntime should be a boolean/);
    await expect(validateConfiguration({ ...config, notAnOption: true }, new DebugLogger(false))).rejects.toThrow(
      /unknown property 'notAnOption'/,
    );
  });

  it('ships only the built output, names the app, and builds every installer the issue asks for', async () => {
    const config = (await getConfig(root, 'electron-builder.yml', null)) as {
      appId: string;
      productName: string;
      files: Array<{ filter: string[] }>;
      linux: { target: string[] };
      mac: { target: Array<{ target: string; arch: string[] }> };
      win: { target: Array<{ target: string }> };
      protocols: Array<{ schemes: string[] }>;
      publish: { provider: string };
    };
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.productName).toBe(packageJson.productName);
    expect(config.files.flatMap((set) => set.filter).filter((pattern) => !pattern.startsWith('!'))).toEqual([
      'out/**/*',
      'package.json',
      'resources/icon.png',
    ]);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['universal'] }]);
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.protocols.flatMap((p) => p.schemes)).toEqual(['s3']);
    expect(config.publish.provider).toBe('github');
    // The packager and the icon tool are build tools: they must not ship.
    for (const tool of ['electron', 'electron-builder', 'icon-gen']) {
      expect(packageJson.devDependencies[tool], tool).toBeDefined();
      expect(packageJson.dependencies[tool], tool).toBeUndefined();
    }
  });
});
