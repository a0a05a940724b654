import type { transferRequests } from '../../../shared/transfers-contract';
import { AppFailure } from '../app-failure';
import type { DomainServices, SpoolWriter } from '../handlers';
import type { ServiceContext } from '../service-context';

/** The transfer queue's channels: uploads and downloads run in main, journaled to disk. */
export function createTransferServices(
  _context: ServiceContext,
): DomainServices<keyof typeof transferRequests> & { spool: SpoolWriter } {
  const notYet = async (): Promise<never> => {
    throw new AppFailure('not-supported', 'This part of the app is not built yet.');
  };
  return {
    spool: { write: notYet },
    handlers: {
      'transfers.list': notYet,
      'transfers.openSpool': notYet,
      'transfers.uploadConflicts': notYet,
      'transfers.upload': notYet,
      'transfers.download': notYet,
      'transfers.pause': notYet,
      'transfers.resume': notYet,
      'transfers.cancel': notYet,
      'transfers.retry': notYet,
      'transfers.clearFinished': notYet,
      'transfers.reveal': notYet,
      'transfers.defaultDownloadDir': notYet,
      'transfers.chooseFolder': notYet,
      'transfers.settings': notYet,
      'transfers.saveSettings': notYet,
      'transfers.orphanedUploads': notYet,
      'transfers.abortOrphaned': notYet,
    },
  };
}
