import type { capabilityRequests } from '../../../shared/capabilities-contract';
import type { DomainServices } from '../handlers';
import type { ServiceContext } from '../service-context';

/** The capability model's channels: what an account's service (or one bucket) can do. */
export function createCapabilityServices(context: ServiceContext): DomainServices<keyof typeof capabilityRequests> {
  return {
    handlers: {
      'capabilities.get': ({ accountId, bucket }) =>
        bucket === undefined
          ? context.capabilities.forAccount(accountId)
          : context.capabilities.forBucket(accountId, bucket),
    },
  };
}
