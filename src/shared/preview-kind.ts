/** How an object can be previewed in the details panel. */
export type PreviewKind = 'image' | 'text' | 'pdf' | 'audio' | 'video';

/** The kinds previewed from a presigned URL by an element of the page (text goes through main). */
export type MediaPreviewKind = Exclude<PreviewKind, 'text'>;

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
 * Shared by the panel (which offers the preview) and main (which decides, from a fresh HEAD,
 * what a preview URL may serve).
 */
export function previewKindOf(contentType: string | null | undefined, key: string): PreviewKind | null {
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

/**
 * Whether a content type fits a media preview of a kind: what main pins on a preview URL
 * (ResponseContentType), and what the panel checks before it shows the URL. Nothing that a
 * browser would render as a document with scripts (HTML, SVG or any XML) ever fits.
 */
export function fitsPreviewKind(contentType: string, kind: MediaPreviewKind): boolean {
  const type = contentType.toLowerCase();
  if (/(html|xml|svg|script)/.test(type)) return false;
  if (kind === 'pdf') return type === 'application/pdf';
  return new RegExp(`^${kind}/[a-z0-9][a-z0-9.+-]*$`).test(type);
}
