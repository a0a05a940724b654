import { join } from 'node:path';
import { whyUnavailable } from '../../../shared/capabilities';
import { lastSegment } from '../../../shared/names';
import type { shareRequests } from '../../../shared/share-contract';
import type { DomainServices } from '../handlers';
import type { ServiceContext } from '../service-context';
import { createDropBoxes } from './drop-box';
import { setObjectAccess } from './object-access';
import { createShareHistory } from './share-history';
import { createShareLinks, type ShareLinkDependencies } from './share-links';

/** The file in the data folder that keeps the list of links made. */
export const SHARE_HISTORY_FILE = 'share-links.json';

/** What a long operation on some objects is called in the transfers panel. */
function what(keys: readonly string[]): string {
  return keys.length === 1 ? lastSegment(keys[0] ?? '') || (keys[0] ?? '') : `${keys.length} items`;
}

/** Share links: presigned GET, PUT and POST, drop boxes, public URLs and access, and the list of links made. */
export function createShareServices(context: ServiceContext): DomainServices<keyof typeof shareRequests> {
  const deps: ShareLinkDependencies = {
    presigner: (accountId, bucket, options) => context.accounts.presignerForBucket(accountId, bucket, options),
    client: (accountId, bucket) => context.accounts.clientForBucket(accountId, bucket),
    settingsOf: (accountId) => context.accounts.settingsOf(accountId),
    capabilities: (accountId, bucket) => context.capabilities.forBucket(accountId, bucket),
    history: createShareHistory(join(context.dataDir, SHARE_HISTORY_FILE)),
    logger: context.logger,
  };
  const links = createShareLinks(deps);
  const dropBoxes = createDropBoxes({ ...deps, desktop: context.desktop });
  return {
    handlers: {
      'share.getLinks': (input) => links.getLinks(input),
      'share.putLink': (input) => links.putLink(input),
      'share.postPolicy': (input) => links.postPolicy(input),
      'share.dropBox': (input) => dropBoxes.make(input),
      'share.dropBoxCors': (input) => dropBoxes.cors(input),
      'share.allowDropBoxCors': (input) => dropBoxes.allowCors(input),
      'share.saveDropBoxPage': (input, request) => dropBoxes.save(input, request.host === 'ipc'),
      'share.setAccess': async ({ accountId, bucket, keys, access }) => {
        const client = await context.accounts.clientForBucket(accountId, bucket);
        const { operationId, finished } = context.operations.start(
          'edit-access',
          `Making ${what(keys)} in ${bucket} ${access === 'public-read' ? 'public' : 'private'}`,
          async (operation) => {
            const model = await context.capabilities.forBucket(accountId, bucket);
            return setObjectAccess(client, bucket, keys, access, operation, {
              unavailable: whyUnavailable(model, 'acl'),
              lacks: (error) => context.capabilities.lacks(accountId, bucket, 'acl', error),
            });
          },
        );
        // Open panels and folder views show the new access.
        void finished.then(() => {
          context.bus.emit('details.changed', { accountId, bucket, keys: [...keys] });
        });
        return { operationId };
      },
      'share.urls': (input) => links.urls(input),
      'share.history': () => links.history(),
      'share.clearHistory': () => links.clearHistory(),
    },
  };
}
