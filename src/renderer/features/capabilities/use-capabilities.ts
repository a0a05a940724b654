import { useEffect } from 'react';
import type { ServiceCapabilities } from '../../../shared/capabilities';
import { useAppStore } from '../../stores/app-store';
import { capabilityKey } from '../../stores/capabilities-slice';

/**
 * What a bucket's service can do (bucket null: the account's model, without probes), read on
 * first use and re-read when main says it changed; null until it is known, which controls take
 * as "everything may work" (main still checks). A failed read is tried again when the component
 * mounts anew, not in a loop.
 */
export function useBucketCapabilities(accountId: string | null, bucket: string | null): ServiceCapabilities | null {
  const entry = useAppStore((s) => (accountId === null ? undefined : s.capabilities[capabilityKey(accountId, bucket)]));
  const load = useAppStore((s) => s.loadCapabilities);
  const missing = entry === undefined;
  useEffect(() => {
    if (accountId !== null) void load(accountId, bucket);
    // `missing` too: a model dropped from the cache while a view still needs it is read again.
  }, [accountId, bucket, load, missing]);
  return entry?.value ?? null;
}
