import { createRequire } from 'node:module';
import { crc32 as zlibCrc32 } from 'node:zlib';

/**
 * CRC-32 as S3's x-amz-checksum-crc32 and zlib compute it, through @node-rs/crc32 (crc32fast's
 * SIMD folding, from the napi-rs project whose keyring the app uses too): 108 ms a GiB here
 * against zlib's 638 ms and SHA-256's 1,404 ms (docs/benchmarks.md), which makes the CRC32 an
 * upload sends and a download checks cheap enough to add beside a signed SHA-256. Where the
 * native module cannot load (a platform it has no binary for), zlib's own is used: same values.
 */

/** The CRC-32 of `data`, continuing from `value` (the CRC of what came before; 0 to start), as zlib's crc32. */
export type Crc32 = (data: Uint8Array, value?: number) => number;

/** The CRC-32 of "123456789": every implementation's check value. */
const CHECK_VALUE = 0xcbf43926;

function loadNative(): { crc32: Crc32; path: string } | undefined {
  try {
    const require = createRequire(import.meta.url);
    const path = require.resolve('@node-rs/crc32');
    const native = (require(path) as { crc32: (data: Uint8Array, initial?: number) => number }).crc32;
    const crc32: Crc32 = (data, value = 0) => native(data, value);
    const check = Buffer.from('123456789');
    // Continuing from a value must agree with zlib's too (a multipart CRC32 is built on it).
    if (crc32(check) !== CHECK_VALUE || crc32(check.subarray(4), crc32(check.subarray(0, 4))) !== CHECK_VALUE) {
      return undefined;
    }
    return { crc32, path };
  } catch {
    return undefined;
  }
}

/** The native module, once it was asked for (loaded on first use, not at start-up); null where it cannot load. */
let native: { crc32: Crc32; path: string } | null | undefined;

function nativeModule(): { crc32: Crc32; path: string } | null {
  if (native === undefined) native = loadNative() ?? null;
  return native;
}

/** CRC-32 through the native module, or zlib's where it cannot load. */
export const crc32: Crc32 = (data, value = 0) => (nativeModule()?.crc32 ?? zlibCrc32)(data, value);

/** Where the native module loads from, for worker threads (see CRC32_IN_WORKER); undefined where it cannot. */
export function nativeCrc32Path(): string | undefined {
  return nativeModule()?.path;
}

/**
 * The same `crc32` in a worker's eval'd CommonJS code, which cannot resolve packages itself:
 * loaded from the path given as the worker's `workerData.crc32Module` (nativeCrc32Path), and
 * zlib's where none is given or it does not load (`crc32IsNative` says which).
 */
export const CRC32_IN_WORKER = `
const { crc32, crc32IsNative } = (() => {
  const zlib = require('node:zlib').crc32;
  try {
    const path = require('node:worker_threads').workerData?.crc32Module;
    if (typeof path !== 'string') return { crc32: zlib, crc32IsNative: false };
    const native = require(path).crc32;
    if (native(Buffer.from('123456789'), 0) !== ${CHECK_VALUE}) return { crc32: zlib, crc32IsNative: false };
    return { crc32: (data, value) => native(data, value || 0), crc32IsNative: true };
  } catch {
    return { crc32: zlib, crc32IsNative: false };
  }
})();
`;
