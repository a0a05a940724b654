import { describe, expect, it } from 'vitest';
import {
  clipboardTextOf,
  curlUploadCommand,
  emptyGetLinkForm,
  getLinkOptions,
  linkSubject,
  sizeLimitOf,
  uploadNameProblem,
} from './link-text';

describe('getLinkOptions', () => {
  it('sends only what was filled in', () => {
    expect(getLinkOptions(emptyGetLinkForm, 1)).toEqual({ forceDownload: false });
    expect(
      getLinkOptions(
        { forceDownload: true, downloadName: ' a.pdf ', contentType: 'application/pdf', versionId: 'v1' },
        1,
      ),
    ).toEqual({ forceDownload: true, downloadName: 'a.pdf', contentType: 'application/pdf', versionId: 'v1' });
  });

  it('names the download and picks a version only for one file', () => {
    expect(getLinkOptions({ forceDownload: true, downloadName: 'a.pdf', contentType: '', versionId: 'v1' }, 3)).toEqual(
      { forceDownload: true },
    );
    // A file name without "force download" would do nothing: it is not sent.
    expect(getLinkOptions({ ...emptyGetLinkForm, downloadName: 'a.pdf' }, 1)).toEqual({ forceDownload: false });
  });
});

describe('link text', () => {
  it('puts one link per line on the clipboard', () => {
    expect(clipboardTextOf([{ url: 'https://a' }, { url: 'https://b' }])).toBe('https://a\nhttps://b');
  });

  it('names what a link is about', () => {
    expect(linkSubject({ kind: 'get', key: 'docs/report.pdf', bucket: 'b' })).toBe('report.pdf');
    expect(linkSubject({ kind: 'post', key: 'inbox/', bucket: 'b' })).toBe('inbox/…');
    expect(linkSubject({ kind: 'post', key: '', bucket: 'b' })).toBe('b (any name)');
  });

  it('builds a curl command that sends the signed headers and survives the shell', () => {
    expect(curlUploadCommand("https://h/k?a=1&b='x'", 'image/png', 'public-read')).toBe(
      `curl -X PUT --upload-file FILE -H 'Content-Type: image/png' -H 'x-amz-acl: public-read' 'https://h/k?a=1&b='\\''x'\\'''`,
    );
    expect(curlUploadCommand('https://h/k', '', 'private')).toBe(`curl -X PUT --upload-file FILE 'https://h/k'`);
  });
});

describe('uploadNameProblem', () => {
  it('accepts a name or a path under the folder', () => {
    expect(uploadNameProblem('in/', 'photo.jpg')).toBeNull();
    expect(uploadNameProblem('', 'a/b.txt')).toBeNull();
  });

  it('refuses empty names, folders, dot segments and keys over 1,024 bytes', () => {
    expect(uploadNameProblem('', ' ')).toMatch(/Enter the name/);
    expect(uploadNameProblem('', '/a')).toMatch(/leading/);
    expect(uploadNameProblem('', 'a/')).toMatch(/not a folder/);
    expect(uploadNameProblem('', 'a/../b')).toMatch(/'\.\.'/);
    expect(uploadNameProblem('p/', 'é'.repeat(512))).toMatch(/1,024 bytes/);
  });
});

describe('sizeLimitOf', () => {
  it("turns an amount and unit into bytes, within the channel's limits", () => {
    expect(sizeLimitOf('10', 'MiB')).toEqual({ bytes: 10 * 1024 ** 2, error: null });
    expect(sizeLimitOf('0', 'KiB').error).toBe('The size limit must be at least 1 byte.');
    expect(sizeLimitOf('6', 'GiB').error).toBe('A POST upload is at most 5 GiB.');
    expect(sizeLimitOf('lots', 'GiB').error).toBe('Give the size limit as a number.');
  });
});
