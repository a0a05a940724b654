import type { transferRequests } from '../../../shared/transfers-contract';
import type { DomainServices } from '../handlers';
import type { ServiceContext } from '../service-context';

/** The transfer queue's channels: uploads and downloads run in main, journaled to disk. */
export function createTransferServices(_context: ServiceContext): DomainServices<keyof typeof transferRequests> {
  return { handlers: {} };
}
