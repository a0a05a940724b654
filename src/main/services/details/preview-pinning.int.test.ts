/**
 * Preview URLs pin what the browser gets (against the run's MinIO): the signed
 * response-content-type of the kind and `inline`. An object swapped for an HTML page after
 * its URL was made is still served as a PDF; an object that is HTML (or SVG) by its stored
 * type gets no media URL at all.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { integrationScaffold } from './test-services';

const s3 = inject('s3');
const { direct, bucketForTest, services } = integrationScaffold(s3);

const page = '<!doctype html><title>not a pdf</title><script>alert(document.domain)</script>';

describe('preview URLs', () => {
  it('pin the PDF type and inline, signed, so a swapped object is never served as HTML', async () => {
    const bucket = await bucketForTest();
    const put = (body: string, ContentType: string) =>
      direct.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'report.pdf', Body: body, ContentType }));
    await put('%PDF-1.4\n% a small pdf\n', 'application/pdf');
    const { value } = await services();
    const { url } = await value<{ url: string }>('details.previewUrl', { bucket: bucket.name, key: 'report.pdf' });
    const params = new URL(url).searchParams;
    expect(params.get('response-content-type')).toBe('application/pdf');
    expect(params.get('response-content-disposition')).toBe('inline');

    // The object is replaced by an HTML page, stored as text/html, while the URL is still valid.
    await put(page, 'text/html');
    const answer = await fetch(url);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/pdf');
    expect(answer.headers.get('content-disposition')).toBe('inline');
    expect(await answer.text()).toBe(page);

    // The pin is signed: a URL whose type is changed back is refused by the service.
    const tampered = new URL(url);
    tampered.searchParams.set('response-content-type', 'text/html');
    expect((await fetch(tampered)).status).toBe(403);
  });

  it('keep an image its own type, and give an HTML or SVG object no media URL', async () => {
    const bucket = await bucketForTest();
    const put = (Key: string, Body: string, ContentType: string) =>
      direct.send(new PutObjectCommand({ Bucket: bucket.name, Key, Body, ContentType }));
    await put('photo.png', 'not really a png', 'image/png');
    await put('untyped.jpg', 'bytes', 'binary/octet-stream');
    await put('page.pdf', page, 'text/html');
    await put('drawing.png', '<svg xmlns="http://www.w3.org/2000/svg"/>', 'image/svg+xml');
    const { value, call } = await services();

    const image = await value<{ url: string }>('details.previewUrl', { bucket: bucket.name, key: 'photo.png' });
    expect((await fetch(image.url)).headers.get('content-type')).toBe('image/png');
    // Typed by its name where the stored type says nothing.
    const untyped = await value<{ url: string }>('details.previewUrl', { bucket: bucket.name, key: 'untyped.jpg' });
    expect(new URL(untyped.url).searchParams.get('response-content-type')).toBe('image/jpeg');
    expect((await fetch(untyped.url)).headers.get('content-type')).toBe('image/jpeg');

    for (const key of ['page.pdf', 'drawing.png']) {
      expect(await call('details.previewUrl', { bucket: bucket.name, key })).toMatchObject({
        ok: false,
        error: { code: 'not-supported', message: expect.stringMatching(/no media preview/) },
      });
    }
  });
});
