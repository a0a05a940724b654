import { fileURLToPath } from 'node:url';
import { accountFromEnvironment } from './services/accounts/env-account';
import { createServices } from './services/create-services';
import { defaultDataDir } from './services/data-dir';
import { acquireInstanceLock, InstanceLockedError } from './host/instance-lock';
import { startWebServer } from './host/web-server';

/**
 * Web mode's entry (`npm run web`, built to out/main/web.js): the same services as the
 * desktop app, served to a browser on 127.0.0.1 through the WebSocket host. One instance per
 * data folder (Electron has requestSingleInstanceLock; this is web mode's own): a second one
 * would resume the same transfers from the same journal.
 */
async function main(): Promise<void> {
  const portArgument = process.argv.indexOf('--port');
  const port = portArgument > 0 ? Number(process.argv[portArgument + 1]) : Number(process.env.S3FM_PORT ?? 0);
  const dataDir = defaultDataDir();
  // Before the services exist: they resume the transfer queue as soon as they are made.
  const lock = await acquireInstanceLock(dataDir);
  process.once('exit', () => lock.releaseSync());
  const account = accountFromEnvironment(process.env);
  const services = createServices({
    appInfo: { name: 'S3 File Manager', version: process.env.npm_package_version ?? '0.0.0', mode: 'web' },
    dataDir,
    launchAccounts: account ? [account] : [],
  });
  const server = await startWebServer({
    staticRoot: fileURLToPath(new URL('../renderer', import.meta.url)),
    services,
    bus: services.bus,
    port: Number.isInteger(port) && port >= 0 ? port : 0,
  });
  const stop = (): void => {
    void server
      .close()
      .then(() => services.dispose())
      .then(() => lock.release())
      .then(() => process.exit(0));
  };
  // Before the address is printed: whoever reads it may stop us at once.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await lock.setUrl(`${server.origin}/`);
  // Tests and scripts read this line to find the URL; keep its shape.
  console.log(`S3 File Manager (web mode) is at ${server.url}`);
}

void main().catch((error: unknown) => {
  if (error instanceof InstanceLockedError) {
    console.error(`Web mode did not start: ${error.message}`);
  } else {
    console.error('Web mode could not start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
