import { capabilitiesFromSeed, capabilitySeeds, type ServiceCapabilities } from '../../shared/capabilities';
import type { ListingPage } from '../../shared/objects';
import type { Result } from '../../shared/result';

const emptyPage: Result<ListingPage> = { ok: true, value: { folders: [], files: [], nextToken: null } };
const noSubscription = () => () => undefined;

/**
 * The parts of a fake API that a test of something else does not care about: every folder is
 * empty, every service is one nothing is known about, and no object, operation, capability or
 * editing event ever comes. Spread it under a test's own fakes.
 */
export function quietBrowserApi() {
  return {
    objects: { list: async () => emptyPage, onChanged: noSubscription },
    operations: { onProgress: noSubscription, onFinished: noSubscription },
    folders: {},
    capabilities: {
      get: async (): Promise<Result<ServiceCapabilities>> => ({
        ok: true,
        value: capabilitiesFromSeed(capabilitySeeds.other),
      }),
      onChanged: noSubscription,
    },
    bookmarks: { list: async () => ({ ok: true, value: [] }), onChanged: noSubscription },
    links: { takePending: async () => ({ ok: true, value: { links: [] } }), onReceived: noSubscription },
    edit: { list: async () => ({ ok: true, value: [] }), onChanged: noSubscription },
  };
}
