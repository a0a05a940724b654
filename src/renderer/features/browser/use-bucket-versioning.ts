import { useEffect } from 'react';
import { useAppStore } from '../../stores/app-store';
import { capabilityKey } from '../../stores/capabilities-slice';

/**
 * What a delete in a bucket means, from its versioning: `enabled` (a delete marker, undoable),
 * `suspended` (a delete may remove the "null" version for good), `off` (never turned on, or the
 * service keeps no versions: gone for good), or `unknown` (not read yet, or not readable: said
 * as gone for good, the safe side).
 */
export type VersioningState = 'enabled' | 'suspended' | 'off' | 'unknown';

/** A bucket's versioning state and, where the service keeps no versions, why; read on first use. */
export function useBucketVersioning(
  accountId: string | null,
  bucket: string | null,
): { state: VersioningState; reason: string | null } {
  const entry = useAppStore((s) =>
    accountId === null || bucket === null ? undefined : s.bucketVersioning[capabilityKey(accountId, bucket)],
  );
  const load = useAppStore((s) => s.loadBucketVersioning);
  const missing = entry === undefined;
  useEffect(() => {
    if (accountId !== null && bucket !== null) void load(accountId, bucket);
  }, [accountId, bucket, load, missing]);
  const value = entry?.value;
  if (!value) return { state: 'unknown', reason: null };
  if (!value.available) return { state: 'off', reason: value.reason };
  return { state: value.value === 'never-enabled' ? 'off' : value.value, reason: null };
}
