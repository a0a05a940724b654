import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { isMultipartEtag, md5, multipartEtag, plainEtag } from './multipart-etag';

describe('ETags', () => {
  test('a multipart ETag is the MD5 of the binary part MD5s, then "-" and the part count', () => {
    const parts = [Buffer.alloc(5 * 1024 * 1024, 1), Buffer.from('tail')];
    const expected = createHash('md5')
      .update(Buffer.concat(parts.map((part) => createHash('md5').update(part).digest())))
      .digest('hex');
    expect(multipartEtag(parts.map(md5))).toBe(`${expected}-2`);
  });

  test('a known value: two parts "a" and "b"', () => {
    // md5(md5("a") ‖ md5("b")), computed independently with: printf a | md5sum; printf b | md5sum …
    const a = Buffer.from('0cc175b9c0f1b6a831c399e269772661', 'hex');
    const b = Buffer.from('92eb5ffee6ae2fec3ad71c777531578f', 'hex');
    expect(multipartEtag([a, b])).toBe(
      `${createHash('md5')
        .update(Buffer.concat([a, b]))
        .digest('hex')}-2`,
    );
    expect(md5(Buffer.from('a')).toString('hex')).toBe('0cc175b9c0f1b6a831c399e269772661');
  });

  test('ETags are compared without quotes or case', () => {
    expect(plainEtag('"ABCdef-3"')).toBe('abcdef-3');
    expect(plainEtag('W/"abc"')).toBe('abc');
    expect(plainEtag(undefined)).toBe('');
    expect(isMultipartEtag('"d41d8cd98f00b204e9800998ecf8427e-12"')).toBe(true);
    expect(isMultipartEtag('"d41d8cd98f00b204e9800998ecf8427e"')).toBe(false);
  });
});
