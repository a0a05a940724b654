/**
 * The app's processes of the benchmark (list-app-child.ts, transfer-app-child.ts) are bundled
 * before they run, as electron-vite bundles the app's main process (its dependencies left in
 * node_modules), and run by plain Node: run through tsx instead, each would carry tsx's
 * loader and compiled sources, about 35 MiB of resident memory the app never has, into every
 * peak RSS figure. The bundle is made with Vite's SSR build (Vite builds the app too), once per run.
 * They run on the Node that Electron bundles, as the app's main process does (`node` below):
 * on this machine's Node 20 the many-files rows were a third to a half slower than on Node 24.
 */
import path from 'node:path';
import { build } from 'vite';

/** How to start one of the app's benchmark processes. */
export interface ChildCommand {
  command: string;
  args: string[];
  /** Added to its environment. */
  env: NodeJS.ProcessEnv;
  /** "bundled (vite)" or "tsx (bundling failed: …)", for the report. */
  how: string;
}

/** Node's arguments that leave a CPU profile in `BENCH_CPU_PROF`, where it is set (none otherwise). */
export function profileArguments(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** The benchmark's child entries, by name. */
export type ChildName = 'list-app-child' | 'transfer-app-child';

/** How to start each child. */
export type ChildCommands = Record<ChildName, ChildCommand>;

const NAMES: readonly ChildName[] = ['list-app-child', 'transfer-app-child'];

/** The Node binary that runs the children, and how to name it in the report. */
export interface ChildNode {
  path: string;
  label: string;
}

/**
 * Bundles the children into `outDir`; where that fails, runs them through tsx and says why.
 * `env` is added to their environment; `node` runs them (this process's Node when not given).
 */
export async function buildChildren(
  repoRoot: string,
  outDir: string,
  env: NodeJS.ProcessEnv,
  node: ChildNode = { path: process.execPath, label: `Node ${process.version}` },
): Promise<ChildCommands> {
  const source = (name: ChildName) => path.join(repoRoot, 'scripts', 'bench', `${name}.ts`);
  const viaTsx = (how: string): ChildCommands =>
    Object.fromEntries(
      NAMES.map((name) => [
        name,
        { command: node.path, args: ['--import', 'tsx', source(name)], env, how: `${how}, on ${node.label}` },
      ]),
    ) as ChildCommands;
  try {
    await build({
      configFile: false,
      root: repoRoot,
      logLevel: 'warn',
      build: {
        // SSR: for Node, with node_modules left external, as the app's main bundle leaves them.
        ssr: true,
        outDir,
        emptyOutDir: true,
        minify: false,
        target: 'node20',
        rollupOptions: {
          input: Object.fromEntries(NAMES.map((name) => [name, source(name)])),
          output: { format: 'es', entryFileNames: '[name].mjs' },
        },
      },
    });
    return Object.fromEntries(
      NAMES.map((name) => [
        name,
        {
          command: node.path,
          args: [...profileArguments(), path.join(outDir, `${name}.mjs`)],
          env,
          how: `bundled by Vite, run by ${node.label}`,
        },
      ]),
    ) as ChildCommands;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return viaTsx(`run through tsx (bundling failed: ${reason})`);
  }
}
