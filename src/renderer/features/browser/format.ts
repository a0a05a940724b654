import type { IconName } from '../../components/icon';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * A size as people read it: "0 B", "512 B", "1.5 KiB", "12 KiB", "3.4 GiB". Powers of 1,024,
 * so the binary (IEC) unit names: the same the transfer settings and share dialog use (MiB),
 * where "KB" would say powers of 1,000.
 */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value} B`;
  // One decimal under 10 ("1.5 KiB"), none above ("12 KiB"); never "10.0".
  const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  if (rounded >= 1024 && unit < UNITS.length - 1) return `1 ${UNITS[unit + 1]}`;
  return `${rounded} ${UNITS[unit]}`;
}

const storageClassNames: Record<string, string> = {
  STANDARD: 'Standard',
  STANDARD_IA: 'Standard-IA',
  ONEZONE_IA: 'One Zone-IA',
  INTELLIGENT_TIERING: 'Intelligent-Tiering',
  GLACIER: 'Glacier Flexible Retrieval',
  GLACIER_IR: 'Glacier Instant Retrieval',
  DEEP_ARCHIVE: 'Glacier Deep Archive',
  REDUCED_REDUNDANCY: 'Reduced Redundancy',
  EXPRESS_ONEZONE: 'Express One Zone',
  OUTPOSTS: 'Outposts',
  SNOW: 'Snow',
};

/** A storage class as the AWS console names it ("STANDARD_IA" → "Standard-IA"); unknown ones as sent. */
export function formatStorageClass(storageClass: string | null): string {
  if (!storageClass) return '';
  return storageClassNames[storageClass] ?? storageClass;
}

const extensionIcons: Record<string, IconName> = {};
for (const [icon, extensions] of [
  ['file-image', 'jpg jpeg png gif webp svg bmp tif tiff heic heif avif ico raw cr2 nef psd'],
  ['file-video', 'mp4 mov m4v mkv webm avi wmv mpg mpeg'],
  ['file-audio', 'mp3 wav flac aac ogg oga m4a opus aiff'],
  ['file-archive', 'zip gz tgz bz2 xz zst 7z rar tar jar war'],
  ['file-text', 'txt md csv tsv log rtf pdf doc docx odt pages xls xlsx ods ppt pptx key'],
  ['file-code', 'js mjs cjs ts tsx jsx json yaml yml toml xml html htm css scss py rb go rs java c h cpp sh sql ini'],
] as const) {
  for (const extension of extensions.split(' ')) extensionIcons[extension] = icon;
}

/** The icon for a file, from its extension; a plain page for anything else. */
export function fileIcon(name: string): IconName {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'file';
  return extensionIcons[name.slice(dot + 1).toLowerCase()] ?? 'file';
}

/** "1 item", "3,000 items": a count with its noun, in the person's own number format. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? singular : plural}`;
}
