import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Result } from '../src/shared/result';
import type { ChildRequest } from './services-child';

const run = promisify(execFile);

/** Runs requests against the services in a new Node process (see services-child.ts); env overrides apply. */
export async function runServicesInChild(
  request: ChildRequest,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Result<unknown>[]> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'test/services-child.ts', JSON.stringify(request)],
    {
      env,
      timeout: 60_000,
    },
  );
  const lastLine = stdout.trim().split('\n').at(-1) ?? '[]';
  return JSON.parse(lastLine) as Result<unknown>[];
}
