import type { detailsRequests } from '../../../shared/details-contract';
import type { DomainServices } from '../handlers';
import type { ServiceContext } from '../service-context';

/** The details panel: object and bucket properties, metadata and tag edits, encryption. */
export function createDetailsServices(_context: ServiceContext): DomainServices<keyof typeof detailsRequests> {
  return { handlers: {} };
}
