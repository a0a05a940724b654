/**
 * S3 lists keys in the byte order of their UTF-8 encoding. That is code point order, which
 * differs from JavaScript's `<` (UTF-16 code units) only where a character above U+FFFF meets
 * one in U+E000–U+FFFF; comparing code points gives S3's order without encoding anything.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) stand for code points above U+FFFF: they sort after U+E000–U+FFFF.
    const xHigh = x >= 0xd800 && x <= 0xdfff;
    const yHigh = y >= 0xd800 && y <= 0xdfff;
    if (xHigh !== yHigh) return xHigh ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
