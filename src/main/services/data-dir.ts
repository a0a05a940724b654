import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The app's data folder outside Electron (web mode, scripts): S3FM_DATA_DIR, else the XDG
 * config folder. Electron passes app.getPath('userData') instead, unless S3FM_DATA_DIR is set.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.S3FM_DATA_DIR) return env.S3FM_DATA_DIR;
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 's3-file-manager');
}
