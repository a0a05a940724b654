import { z } from 'zod';
import { event, request } from './contract-spec';
import type { ServiceCapabilities } from './capabilities';

const accountId = z.string().min(1).max(200);
const bucket = z.string().min(1).max(255);

/** Request channels of the capability model (what a service can do), spread into the contract. */
export const capabilityRequests = {
  /** What the account's service can do, for one bucket where given (probed once, on first use). */
  'capabilities.get': request<ServiceCapabilities>()(z.object({ accountId, bucket: bucket.optional() }).strict()),
} as const;

/** Event channels of the capability model. */
export const capabilityEvents = {
  /** An answer taught something about a service (bucket null: the whole account): views re-read the model. */
  'capabilities.changed': event<{ accountId: string; bucket: string | null }>(),
} as const;
