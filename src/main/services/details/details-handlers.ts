import type { detailsRequests } from '../../../shared/details-contract';
import { AppFailure } from '../app-failure';
import type { DomainServices } from '../handlers';
import type { ServiceContext } from '../service-context';

/** The details panel: object and bucket properties, metadata and tag edits, encryption. */
export function createDetailsServices(_context: ServiceContext): DomainServices<keyof typeof detailsRequests> {
  const notYet = async (): Promise<never> => {
    throw new AppFailure('not-supported', 'This part of the app is not built yet.');
  };
  return {
    handlers: {
      'details.object': notYet,
      'details.editObjects': notYet,
      'details.setTags': notYet,
      'details.bucket': notYet,
      'details.setVersioning': notYet,
      'details.folderSize': notYet,
      'details.previewText': notYet,
      'details.previewUrl': notYet,
      'sse.status': notYet,
      'sse.setKey': notYet,
      'sse.removeKey': notYet,
    },
  };
}
