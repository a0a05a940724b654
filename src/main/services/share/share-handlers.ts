import type { shareRequests } from '../../../shared/share-contract';
import { AppFailure } from '../app-failure';
import type { DomainServices } from '../handlers';
import type { ServiceContext } from '../service-context';

/** Share links: presigned GET, PUT and POST, public URLs, and the list of links made. */
export function createShareServices(_context: ServiceContext): DomainServices<keyof typeof shareRequests> {
  const notYet = async (): Promise<never> => {
    throw new AppFailure('not-supported', 'This part of the app is not built yet.');
  };
  return {
    handlers: {
      'share.getLinks': notYet,
      'share.putLink': notYet,
      'share.postPolicy': notYet,
      'share.urls': notYet,
      'share.history': notYet,
      'share.clearHistory': notYet,
    },
  };
}
