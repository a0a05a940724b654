/**
 * Prepares and starts the S3 test servers from a shell.
 *
 *   node --import tsx scripts/s3-servers/cli.ts prepare [name...]   builds or installs them
 *       (all when no name is given), at the same time: the Go builds of MinIO and SeaweedFS
 *       overlap their downloads and single-threaded link steps (docs/architecture.md)
 *   node --import tsx scripts/s3-servers/cli.ts start <name>        starts one, prints its
 *       endpoint, credentials and version as JSON on stdout, stops on SIGINT/SIGTERM
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3ServerName } from './launcher';
import { isS3ServerName, s3ServerLaunchers, s3ServerNames } from './registry';

const usage = `usage: node --import tsx scripts/s3-servers/cli.ts prepare [name...] | start <name>
names: ${s3ServerNames.join(', ')}`;

function parseNames(args: string[]): S3ServerName[] {
  for (const name of args) {
    if (!isS3ServerName(name)) throw new Error(`unknown S3 server "${name}"\n${usage}`);
  }
  return args.length > 0 ? (args as S3ServerName[]) : s3ServerNames;
}

/** Prepares the named servers concurrently; reports each one's time, and fails if any failed. */
async function prepare(names: S3ServerName[]): Promise<void> {
  const results = await Promise.allSettled(
    names.map(async (name) => {
      const launcher = s3ServerLaunchers[name];
      const started = Date.now();
      await launcher.prepare();
      const seconds = Math.round((Date.now() - started) / 1000);
      process.stderr.write(`s3-servers: ${name} ${launcher.version} ready (${seconds} s)\n`);
    }),
  );
  const failures = results.flatMap((result, i) =>
    result.status === 'rejected'
      ? [`${names[i]}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`]
      : [],
  );
  if (failures.length > 0) throw new Error(`could not prepare:\n${failures.join('\n')}`);
}

async function start(name: S3ServerName): Promise<void> {
  const { stop, ...info } = await s3ServerLaunchers[name].start();
  console.log(JSON.stringify(info, null, 2));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await stop();
}

async function main([command, ...args]: string[]): Promise<void> {
  switch (command) {
    case 'prepare':
      return prepare(parseNames(args));
    case 'start': {
      const names = parseNames(args);
      if (args.length !== 1 || !names[0]) throw new Error(usage);
      return start(names[0]);
    }
    default:
      console.error(usage);
      process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
