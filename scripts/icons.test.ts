import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateIcons, icnsSizes, icoSizes, linuxIconSizes } from './icons';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG's width and height from its IHDR chunk; throws if the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  if (!bytes.subarray(0, 8).equals(PNG_MAGIC) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG');
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The square sizes an ICO's directory lists (a 0 byte means 256). */
function icoEntrySizes(bytes: Buffer): number[] {
  expect(bytes.readUInt16LE(0), 'ICO reserved word').toBe(0);
  expect(bytes.readUInt16LE(2), 'ICO type (1 = icon)').toBe(1);
  const count = bytes.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const width = bytes[6 + i * 16] || 256;
    const height = bytes[7 + i * 16] || 256;
    expect(width, `ICO entry ${i} is square`).toBe(height);
    return width;
  });
}

/** The sizes of the PNG images inside an ICNS (its chunks after the 'icns' header). */
function icnsPngSizes(bytes: Buffer): number[] {
  expect(bytes.toString('latin1', 0, 4)).toBe('icns');
  expect(bytes.readUInt32BE(4), 'ICNS length field').toBe(bytes.length);
  const sizes: number[] = [];
  for (let offset = 8; offset < bytes.length;) {
    const length = bytes.readUInt32BE(offset + 4);
    expect(length, 'ICNS chunk length').toBeGreaterThan(8);
    const data = bytes.subarray(offset + 8, offset + length);
    if (data.subarray(0, 8).equals(PNG_MAGIC)) {
      const { width, height } = pngSize(data);
      expect(width).toBe(height);
      sizes.push(width);
    }
    offset += length;
  }
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/** Checks a folder's icon set: every file there, of its format and size. */
async function expectIconSet(resources: string): Promise<void> {
  expect(pngSize(await readFile(path.join(resources, 'icon.png')))).toEqual({ width: 1024, height: 1024 });
  for (const size of linuxIconSizes) {
    const file = path.join(resources, 'icons', `${size}x${size}.png`);
    expect(pngSize(await readFile(file)), file).toEqual({ width: size, height: size });
  }
  expect(icoEntrySizes(await readFile(path.join(resources, 'icon.ico'))).sort((a, b) => a - b)).toEqual([...icoSizes]);
  // 16 and 32 also come as raw bitmaps (is32, il32); every size from 64 (ic12, the @2x of 32) up is a PNG.
  expect(icnsPngSizes(await readFile(path.join(resources, 'icon.icns')))).toEqual(
    expect.arrayContaining([...icnsSizes.filter((size) => size >= 64)]),
  );
}

describe('icons', () => {
  it('resources/ holds the generated set: PNGs of every Linux size, an ICO and an ICNS', async () => {
    await expectIconSet(path.resolve('resources'));
  });

  it('npm run icons writes that set from the SVG', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 's3fm-icons-test-'));
    try {
      await generateIcons(path.resolve('resources/icon.svg'), out);
      await expectIconSet(out);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
