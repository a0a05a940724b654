import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { syncPairSchema, syncSpecSchema, type SyncPair, type SyncSpec } from '../../../shared/sync';
import { writeFileAtomic } from '../storage/atomic-file';

/** A run whose transfers or deletes have not all ended: kept on disk so a restart still records its baseline. */
const pendingRunSchema = z.object({
  runId: z.string(),
  pairKey: z.string(),
  spec: syncSpecSchema,
  localDir: z.string(),
  prefix: z.string(),
  batchIds: z.array(z.string()),
  /** Paths left out of the run (unticked, conflicts, skipped): their old baseline entries stay. */
  unsettled: z.array(z.string()),
  deletesPending: z.boolean(),
});

/** A run not yet recorded as finished. */
export type PendingRun = z.infer<typeof pendingRunSchema>;

const fileSchema = z.object({
  pairs: z.array(syncPairSchema).default([]),
  runs: z.array(pendingRunSchema).default([]),
});

/** Saved sync pairs and unfinished runs, in dataDir/sync/sync.json (written atomically, saves in order). */
export function createSyncStore(dataDir: string) {
  const file = join(dataDir, 'sync', 'sync.json');
  let state: z.infer<typeof fileSchema> = { pairs: [], runs: [] };
  let saving: Promise<unknown> = Promise.resolve();
  const loaded = readFile(file, 'utf8')
    .then((text) => {
      state = fileSchema.parse(JSON.parse(text));
    })
    .catch(() => undefined);
  const save = async () => {
    const text = `${JSON.stringify(state, null, 2)}\n`;
    const written = saving.then(() => writeFileAtomic(file, text));
    saving = written.catch(() => undefined);
    await written;
  };
  return {
    loaded,
    pairs: async () => {
      await loaded;
      return state.pairs.map((pair) => ({ ...pair }));
    },
    async savePair(input: { id?: string | undefined; name: string; spec: SyncSpec }): Promise<SyncPair> {
      await loaded;
      const existing = state.pairs.find((pair) => pair.id === input.id);
      const pair: SyncPair = {
        id: existing?.id ?? randomUUID(),
        name: input.name,
        spec: input.spec,
        lastRunAt: existing?.lastRunAt ?? null,
      };
      state.pairs = existing ? state.pairs.map((p) => (p.id === pair.id ? pair : p)) : [...state.pairs, pair];
      await save();
      return pair;
    },
    async removePair(id: string): Promise<boolean> {
      await loaded;
      const before = state.pairs.length;
      state.pairs = state.pairs.filter((pair) => pair.id !== id);
      if (state.pairs.length !== before) await save();
      return state.pairs.length !== before;
    },
    /** Notes when pairs with this spec last ran. */
    async ranPairs(matches: (spec: SyncSpec) => boolean, at: string): Promise<void> {
      await loaded;
      state.pairs = state.pairs.map((pair) => (matches(pair.spec) ? { ...pair, lastRunAt: at } : pair));
      await save();
    },
    runs: async () => {
      await loaded;
      return [...state.runs];
    },
    async putRun(run: PendingRun): Promise<void> {
      await loaded;
      state.runs = [...state.runs.filter((r) => r.runId !== run.runId), run];
      await save();
    },
    async removeRun(runId: string): Promise<void> {
      await loaded;
      state.runs = state.runs.filter((r) => r.runId !== runId);
      await save();
    },
  };
}
