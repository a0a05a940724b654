import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWindowStateFile } from './window-state-file';

const state = { x: 10, y: 20, width: 900, height: 600, maximized: false };

describe('createWindowStateFile', () => {
  let folder: string;
  let file: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'window-state-'));
    file = join(folder, 'window-state.json');
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads nothing when there is no file yet', async () => {
    expect(await createWindowStateFile(file).read()).toBeUndefined();
  });

  it('reads nothing from a corrupt file', async () => {
    await writeFile(file, '{"x":1,');
    expect(await createWindowStateFile(file).read()).toBeUndefined();
  });

  it('round-trips a state and leaves no temp files behind', async () => {
    const stateFile = createWindowStateFile(file);
    await stateFile.write(state);
    expect(await stateFile.read()).toEqual(state);
    expect(await readdir(folder)).toEqual(['window-state.json']);
  });

  it('keeps the last of overlapping background writes', async () => {
    const stateFile = createWindowStateFile(file);
    await Promise.all([10, 20, 30, 40].map((x) => stateFile.write({ ...state, x })));
    expect(await stateFile.read()).toEqual({ ...state, x: 40 });
    expect(await readdir(folder)).toEqual(['window-state.json']);
  });

  it('never lets a background write that finishes late overwrite writeNow', async () => {
    const stateFile = createWindowStateFile(file);
    const background = stateFile.write({ ...state, x: 1 });
    stateFile.writeNow({ ...state, x: 2 });
    await background;
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ ...state, x: 2 });
    expect(await readdir(folder)).toEqual(['window-state.json']);
  });

  it('reports a failed write instead of throwing', async () => {
    const errors: unknown[] = [];
    const stateFile = createWindowStateFile(join(folder, 'missing-folder', 'window-state.json'), (e) => errors.push(e));
    await stateFile.write(state);
    stateFile.writeNow(state);
    expect(errors).toHaveLength(2);
    expect(await readdir(folder)).toEqual([]);
  });
});
