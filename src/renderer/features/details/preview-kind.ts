import type { ObjectDetails } from '../../../shared/details';

/** How an object can be previewed in the panel. */
export type PreviewKind = 'image' | 'text' | 'pdf' | 'audio' | 'video';

/** Images up to this size are shown without asking; larger ones wait for "Preview". */
export const AUTO_PREVIEW_IMAGE_BYTES = 2 * 1024 * 1024;

/** How much of a text file the preview reads (a ranged GET; the rest is said to be cut). */
export const TEXT_PREVIEW_BYTES = 256 * 1024;

const textTypes =
  /^(text\/|application\/(json|xml|javascript|x-yaml|yaml|x-sh|toml|sql|csv|x-ndjson)|[^;]*\+(json|xml))/;
const textExtensions = new Set(
  'txt md markdown csv tsv log json jsonl ndjson xml yaml yml toml ini conf cfg env js mjs cjs ts tsx jsx css scss html htm py rb go rs java c h cpp sh sql svg'.split(
    ' ',
  ),
);
const byExtension: Record<string, PreviewKind> = {};
for (const [kind, extensions] of [
  ['image', 'jpg jpeg png gif webp bmp avif ico'],
  ['pdf', 'pdf'],
  ['audio', 'mp3 wav ogg oga m4a aac flac opus'],
  ['video', 'mp4 m4v webm mov ogv'],
] as const) {
  for (const extension of extensions.split(' ')) byExtension[extension] = kind;
}

/**
 * The preview an object gets, from its content type, or its name when the type says nothing
 * ("binary/octet-stream" is what many tools upload with). SVG is shown as text: as an image
 * from a URL it could still be fine, but text shows what it is without running anything.
 */
export function previewKindOf(contentType: string | null, key: string): PreviewKind | null {
  const type = (contentType ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
  if (type === 'image/svg+xml') return 'text';
  if (type.startsWith('image/')) return 'image';
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  if (textTypes.test(type)) return 'text';
  const dot = key.lastIndexOf('.');
  const extension = dot > key.lastIndexOf('/') + 1 ? key.slice(dot + 1).toLowerCase() : '';
  if (textExtensions.has(extension)) return 'text';
  return byExtension[extension] ?? null;
}

/** Why an object cannot be previewed by URL, or null when it can. */
export function urlPreviewBlocker(details: Pick<ObjectDetails, 'encryption'>): string | null {
  return details.encryption.customerKey
    ? 'This object is encrypted with a customer key (SSE-C). A browser element cannot send that key, so it cannot be previewed here: download it instead.'
    : null;
}
