import { describe, expect, it } from 'vitest';
import { previewKindOf, unpinnedPreviewUrl, urlPreviewBlocker } from './preview-kind';

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

describe('unpinnedPreviewUrl', () => {
  const url = (params: Record<string, string>) =>
    `https://s3.example.test/b/report.pdf?${new URLSearchParams({ 'X-Amz-Signature': 'abc', ...params }).toString()}`;

  it('lets through a URL that pins the type of its kind and inline', () => {
    const pdf = url({ 'response-content-type': 'application/pdf', 'response-content-disposition': 'inline' });
    expect(unpinnedPreviewUrl(pdf, 'pdf')).toBeNull();
    const png = url({ 'response-content-type': 'image/png', 'response-content-disposition': 'inline' });
    expect(unpinnedPreviewUrl(png, 'image')).toBeNull();
  });

  it('refuses a URL without the pin, with another kind, or with a type a browser would run', () => {
    expect(unpinnedPreviewUrl(url({}), 'pdf')).toMatch(/does not fix the type/);
    expect(unpinnedPreviewUrl(url({ 'response-content-type': 'application/pdf' }), 'pdf')).toMatch(/does not fix/);
    const image = url({ 'response-content-type': 'image/png', 'response-content-disposition': 'inline' });
    expect(unpinnedPreviewUrl(image, 'pdf')).not.toBeNull();
    for (const type of ['text/html', 'image/svg+xml', 'video/x-html', 'application/xhtml+xml']) {
      const pinned = url({ 'response-content-type': type, 'response-content-disposition': 'inline' });
      expect(unpinnedPreviewUrl(pinned, type.startsWith('video') ? 'video' : 'image')).not.toBeNull();
    }
    expect(unpinnedPreviewUrl('not a url', 'pdf')).toMatch(/not a valid URL/);
  });
});
