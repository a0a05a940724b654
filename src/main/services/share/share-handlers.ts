import type { shareRequests } from '../../../shared/share-contract';
import type { DomainServices } from '../handlers';
import type { ServiceContext } from '../service-context';

/** Share links: presigned GET, PUT and POST, public URLs, and the list of links made. */
export function createShareServices(_context: ServiceContext): DomainServices<keyof typeof shareRequests> {
  return { handlers: {} };
}
