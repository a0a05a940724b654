import type { StateCreator } from 'zustand';
import type { ServiceCapabilities } from '../../shared/capabilities';
import type { EventPayload } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import type { AppState, StoreDependencies } from './app-state';

/** One cached model: an account's (bucket null) or one bucket's. */
export interface CapabilitiesEntry {
  accountId: string;
  bucket: string | null;
  /** `loading` keeps the last model on screen, so a re-read after `capabilities.changed` never flickers. */
  status: 'loading' | 'ready' | 'error';
  value: ServiceCapabilities | null;
  error: AppError | null;
}

/** The payload of `capabilities.changed`. */
export type CapabilitiesChange = EventPayload<'capabilities.changed'>;

/**
 * What each service (and bucket) can do, as main's capability model says, cached per account and
 * bucket. Controls read it to disable what a service lacks and to say why, instead of letting the
 * person press something that main would refuse.
 */
export interface CapabilitiesSlice {
  /** Cached models by `capabilityKey(accountId, bucket)`. */
  capabilities: Record<string, CapabilitiesEntry>;
  /**
   * Reads a model unless it is cached or on its way (a failed read is tried again). Main probes a
   * bucket once, on its first read, so the first answer may take a moment; every later one is cheap.
   */
  loadCapabilities: (accountId: string, bucket: string | null) => Promise<void>;
  /**
   * Takes main's `capabilities.changed`: re-reads the cached models it concerns (bucket null:
   * every cached model of that account).
   */
  receiveCapabilitiesChanged: (change: CapabilitiesChange) => void;
  /**
   * Takes a new account list: forgets the models of accounts that are gone and re-reads the rest
   * (an edited account may point at another provider or endpoint, and main announces no change then).
   */
  receiveCapabilityAccounts: (accountIds: readonly string[]) => void;
}

/** The cache key of an account's model (bucket null) or one bucket's. */
export function capabilityKey(accountId: string, bucket: string | null): string {
  // A newline can be in neither an account id nor a bucket name, so keys never collide.
  return `${accountId}\n${bucket ?? ''}`;
}

/** Creates the capabilities slice. */
export function createCapabilitiesSlice(deps: StoreDependencies): StateCreator<AppState, [], [], CapabilitiesSlice> {
  return (set, get) => {
    // Each read of a key takes a number; an answer overtaken by a newer read of that key is dropped.
    const runs = new Map<string, number>();

    async function read(accountId: string, bucket: string | null): Promise<void> {
      const key = capabilityKey(accountId, bucket);
      const run = (runs.get(key) ?? 0) + 1;
      runs.set(key, run);
      set((state) => ({
        capabilities: {
          ...state.capabilities,
          [key]: {
            accountId,
            bucket,
            status: 'loading',
            value: state.capabilities[key]?.value ?? null,
            error: null,
          },
        },
      }));
      const result = await deps.api.capabilities.get(bucket === null ? { accountId } : { accountId, bucket });
      // Overtaken by a newer read, or the account went away meanwhile.
      if (runs.get(key) !== run || !get().capabilities[key]) return;
      set((state) => {
        const before = state.capabilities[key];
        // No toast: a model that cannot be read leaves every control enabled, and main still checks.
        const entry: CapabilitiesEntry = result.ok
          ? { accountId, bucket, status: 'ready', value: result.value, error: null }
          : { accountId, bucket, status: 'error', value: before?.value ?? null, error: result.error };
        return { capabilities: { ...state.capabilities, [key]: entry } };
      });
    }

    return {
      capabilities: {},

      async loadCapabilities(accountId, bucket) {
        const entry = get().capabilities[capabilityKey(accountId, bucket)];
        if (entry && entry.status !== 'error') return;
        await read(accountId, bucket);
      },

      receiveCapabilitiesChanged({ accountId, bucket }) {
        for (const entry of Object.values(get().capabilities)) {
          if (entry.accountId !== accountId) continue;
          // What was learned about the whole service holds for every bucket of it.
          if (bucket === null || entry.bucket === bucket) void read(entry.accountId, entry.bucket);
        }
      },

      receiveCapabilityAccounts(accountIds) {
        const kept = new Set(accountIds);
        const entries = Object.entries(get().capabilities);
        const gone = entries.filter(([, entry]) => !kept.has(entry.accountId));
        if (gone.length > 0) {
          set((state) => {
            const capabilities = { ...state.capabilities };
            for (const [key] of gone) {
              delete capabilities[key];
              runs.delete(key);
            }
            return { capabilities };
          });
        }
        for (const [, entry] of entries) {
          if (kept.has(entry.accountId)) void read(entry.accountId, entry.bucket);
        }
      },
    };
  };
}
