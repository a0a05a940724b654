import type { ObjectDetails } from '../../../shared/details';
import { fitsPreviewKind, type MediaPreviewKind } from '../../../shared/preview-kind';

export { previewKindOf, type MediaPreviewKind, type PreviewKind } from '../../../shared/preview-kind';

/** Images up to this size are shown without asking; larger ones wait for "Preview". */
export const AUTO_PREVIEW_IMAGE_BYTES = 2 * 1024 * 1024;

/** How much of a text file the preview reads (a ranged GET; the rest is said to be cut). */
export const TEXT_PREVIEW_BYTES = 256 * 1024;

/** Why an object cannot be previewed by URL, or null when it can. */
export function urlPreviewBlocker(details: Pick<ObjectDetails, 'encryption'>): string | null {
  return details.encryption.customerKey
    ? 'This object is encrypted with a customer key (SSE-C). A browser element cannot send that key, so it cannot be previewed here: download it instead.'
    : null;
}

/**
 * Why a preview URL must not be shown, or null when it may: main signs each URL with the
 * type the element expects (response-content-type) and `inline`, so that an object replaced
 * by an HTML page is still served as, say, a PDF and never runs in the app. The panel checks
 * that before it puts the URL in an element, so a URL without the pin is never framed.
 */
export function unpinnedPreviewUrl(url: string, kind: MediaPreviewKind): string | null {
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return 'The preview link is not a valid URL.';
  }
  const type = params.get('response-content-type');
  const disposition = params.get('response-content-disposition');
  return type !== null && fitsPreviewKind(type, kind) && disposition === 'inline'
    ? null
    : 'The preview link does not fix the type it is served as, so it is not shown. Download the file to open it.';
}
