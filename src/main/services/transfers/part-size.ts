/** One mebibyte: part sizes and thresholds are set in MiB. */
export const MiB = 1024 * 1024;

/** S3's limits for multipart uploads (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
export const MAX_PARTS = 10_000;
/** The smallest part S3 accepts (but the last). */
export const MIN_PART_SIZE = 5 * MiB;
/** The largest part S3 accepts. */
export const MAX_PART_SIZE = 5 * 1024 * MiB;
/** The largest object S3 stores: 5 TiB. */
export const MAX_OBJECT_SIZE = 5 * 1024 * 1024 * MiB;

/**
 * The part size for a file: the person's setting, grown (in whole MiB) so that the file
 * needs at most 10,000 parts; a 5 TiB file gets 525 MiB parts (9,987 of them).
 */
export function partSizeFor(fileSize: number, preferredMiB: number): number {
  const needed = Math.ceil(Math.ceil(fileSize / MAX_PARTS) / MiB) * MiB;
  return Math.min(MAX_PART_SIZE, Math.max(preferredMiB * MiB, needed, MIN_PART_SIZE));
}

/** How many parts (or download chunks) a file of this size is cut into; an empty file still has one. */
export function partCount(fileSize: number, partSize: number): number {
  return Math.max(1, Math.ceil(fileSize / partSize));
}

/** The byte range of part `partNumber` (1-based): start inclusive, end exclusive. */
export function partRange(partNumber: number, partSize: number, fileSize: number): { start: number; end: number } {
  const start = (partNumber - 1) * partSize;
  return { start, end: Math.min(fileSize, start + partSize) };
}
