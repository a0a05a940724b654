import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { parseWindowState, type WindowState } from './window-bounds';

// Electron-free on purpose: the file handling is tested in plain Node beside window-bounds.

let tempCounter = 0;
/** A temp name beside the target (same folder, so rename is atomic) that no other write uses. */
function tempPathFor(file: string): string {
  tempCounter += 1;
  return `${file}.${process.pid}.${tempCounter}.tmp`;
}

/** The saved window state file: read once at start, written atomically on every change. */
export interface WindowStateFile {
  /** The saved state; undefined when the file is missing, unreadable or corrupt. */
  read(): Promise<WindowState | undefined>;
  /** Writes in the background; of overlapping writes, the one called last is the one kept. */
  write(state: WindowState): Promise<void>;
  /**
   * Writes before returning. For the window's `close`: the app may quit right after it,
   * before a background write would finish.
   */
  writeNow(state: WindowState): void;
}

/**
 * Keeps the window state in `file` as JSON. Each write goes to a temp file that is then
 * renamed over the target, so a crash or power cut mid-write leaves the old file or the
 * new one, never half of one. Failures go to `onError` and are otherwise ignored: a lost
 * window position is not worth an error dialog.
 */
export function createWindowStateFile(
  file: string,
  onError: (error: unknown) => void = () => undefined,
): WindowStateFile {
  // Every write takes a number; a background write renames its temp file only if no later
  // write has started. The rename itself is synchronous, so which write wins is decided on
  // this thread in call order, and a slow background write can never land after writeNow.
  let generation = 0;

  return {
    async read() {
      try {
        return parseWindowState(await readFile(file, 'utf8'));
      } catch {
        return undefined;
      }
    },
    async write(state) {
      const mine = ++generation;
      const temp = tempPathFor(file);
      try {
        await writeFile(temp, JSON.stringify(state), 'utf8');
        if (mine === generation) renameSync(temp, file);
        else await rm(temp, { force: true });
      } catch (error) {
        await rm(temp, { force: true }).catch(() => undefined);
        onError(error);
      }
    },
    writeNow(state) {
      generation += 1;
      const temp = tempPathFor(file);
      try {
        writeFileSync(temp, JSON.stringify(state), 'utf8');
        renameSync(temp, file);
      } catch (error) {
        rmSync(temp, { force: true });
        onError(error);
      }
    },
  };
}
