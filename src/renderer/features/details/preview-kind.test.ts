import { describe, expect, it } from 'vitest';
import { previewKindOf, urlPreviewBlocker } from './preview-kind';

describe('previewKindOf', () => {
  it('goes by the content type first', () => {
    expect(previewKindOf('image/png', 'a.bin')).toBe('image');
    expect(previewKindOf('application/pdf', 'a')).toBe('pdf');
    expect(previewKindOf('audio/mpeg', 'a')).toBe('audio');
    expect(previewKindOf('video/mp4; codecs=x', 'a')).toBe('video');
    expect(previewKindOf('text/plain; charset=utf-8', 'a')).toBe('text');
    expect(previewKindOf('application/ld+json', 'a')).toBe('text');
    // An SVG can carry scripts: it is shown as its text.
    expect(previewKindOf('image/svg+xml', 'a.svg')).toBe('text');
  });

  it('falls back on the name when the type says nothing', () => {
    expect(previewKindOf('binary/octet-stream', 'notes/readme.md')).toBe('text');
    expect(previewKindOf(null, 'photo.JPG')).toBe('image');
    expect(previewKindOf('application/octet-stream', 'clip.webm')).toBe('video');
    expect(previewKindOf('application/octet-stream', 'archive.zip')).toBeNull();
    expect(previewKindOf(null, 'folder.txt/file')).toBeNull();
  });

  it('says why an SSE-C object has no URL preview', () => {
    expect(urlPreviewBlocker({ encryption: { algorithm: null, kmsKeyId: null, customerKey: true } })).toMatch(
      /customer key \(SSE-C\)/,
    );
    expect(urlPreviewBlocker({ encryption: { algorithm: 'AES256', kmsKeyId: null, customerKey: false } })).toBeNull();
  });
});
