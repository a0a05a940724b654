import { join } from 'node:path';
import type { shareRequests } from '../../../shared/share-contract';
import type { DomainServices } from '../handlers';
import type { ServiceContext } from '../service-context';
import { createShareHistory } from './share-history';
import { createShareLinks } from './share-links';

/** The file in the data folder that keeps the list of links made. */
export const SHARE_HISTORY_FILE = 'share-links.json';

/** Share links: presigned GET, PUT and POST, public URLs, and the list of links made. */
export function createShareServices(context: ServiceContext): DomainServices<keyof typeof shareRequests> {
  const links = createShareLinks({
    presigner: (accountId, bucket, options) => context.accounts.presignerForBucket(accountId, bucket, options),
    client: (accountId, bucket) => context.accounts.clientForBucket(accountId, bucket),
    settingsOf: (accountId) => context.accounts.settingsOf(accountId),
    capabilities: (accountId, bucket) => context.capabilities.forBucket(accountId, bucket),
    history: createShareHistory(join(context.dataDir, SHARE_HISTORY_FILE)),
    logger: context.logger,
  });
  return {
    handlers: {
      'share.getLinks': (input) => links.getLinks(input),
      'share.putLink': (input) => links.putLink(input),
      'share.postPolicy': (input) => links.postPolicy(input),
      'share.urls': (input) => links.urls(input),
      'share.history': () => links.history(),
      'share.clearHistory': () => links.clearHistory(),
    },
  };
}
