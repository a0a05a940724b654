import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPresigningClient } from '../s3/s3-client';
import { isLocalAddress } from './drop-box';
import { presignPost } from './presign';
import { DATA_URL_MAX_CHARS, uploadPageDataUrl, uploadPageFileName, uploadPageHtml } from './upload-page';
import { UPLOAD_PAGE_SCRIPT, UPLOAD_PAGE_STYLE } from './upload-page-script';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

async function pageFor(keyPrefix: string, where = 'the folder') {
  const client = createPresigningClient({
    endpoint: 'https://s3.example.com',
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials,
  });
  const { url, fields } = await presignPost(client, {
    bucket: 'b',
    keyPrefix,
    maxSizeBytes: 1024,
    expiresInSeconds: 600,
    anyContentType: true,
    acl: 'private',
  });
  const { key: _key, ...pageFields } = fields;
  return uploadPageHtml({
    url,
    fields: pageFields,
    keyPrefix,
    where,
    maxSizeBytes: 1024,
    expiresAt: '2030-01-01T00:00:00.000Z',
  });
}

function settingsOf(html: string): Record<string, unknown> {
  const json = /<script type="application\/json" id="drop-box-settings">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
  return JSON.parse(json) as Record<string, unknown>;
}

describe('the drop box upload page', () => {
  it('carries the policy, its signature and the credential scope, never the secret key', async () => {
    const html = await pageFor('in/');
    expect(html).not.toContain(credentials.secretAccessKey);
    expect(html).not.toContain(encodeURIComponent(credentials.secretAccessKey));
    const settings = settingsOf(html) as { fields: Record<string, string>; keyPrefix: string; url: string };
    expect(Object.keys(settings.fields).sort()).toEqual(
      [
        'Policy',
        'X-Amz-Algorithm',
        'X-Amz-Credential',
        'X-Amz-Date',
        'X-Amz-Signature',
        'acl',
        'bucket',
        'success_action_status',
      ].sort(),
    );
    expect(settings.fields['X-Amz-Credential']).toMatch(/^AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request$/);
    const policy = JSON.parse(Buffer.from(settings.fields.Policy ?? '', 'base64').toString('utf8')) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toContainEqual(['starts-with', '$key', 'in/']);
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 1024]);
    expect(policy.conditions).toContainEqual(['starts-with', '$Content-Type', '']);
    expect(settings).toMatchObject({ keyPrefix: 'in/', url: 'https://s3.example.com/b' });
  });

  it('loads nothing from anywhere, and its CSP runs only its own script and style and talks only to the bucket', async () => {
    const html = await pageFor('');
    expect(html).not.toMatch(/<script[^>]+src=|<link[\s>]|@import|url\(/);
    const sha = (text: string) => createHash('sha256').update(text).digest('base64');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain(`script-src 'sha256-${sha(UPLOAD_PAGE_SCRIPT)}'`);
    expect(csp).toContain(`style-src 'sha256-${sha(UPLOAD_PAGE_STYLE)}'`);
    expect(csp).toContain('connect-src https://s3.example.com');
    expect(csp).toContain("default-src 'none'");
    expect(html).toContain(`<script>${UPLOAD_PAGE_SCRIPT}</script>`);
  });

  it('keeps a hostile folder name text: no markup, no way out of the settings script', async () => {
    const prefix = '</script><img src=x onerror=alert(1)>/';
    const html = await pageFor(prefix, `the folder “${prefix}”`);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&#60;/script&#62;&#60;img src=x onerror=alert(1)&#62;/');
    expect(settingsOf(html).keyPrefix).toBe(prefix);
  });

  it('is a data: URL while short enough, and says how long it would be otherwise', async () => {
    const html = await pageFor('in/');
    const short = uploadPageDataUrl(html);
    expect(short.url?.startsWith('data:text/html;charset=utf-8;base64,')).toBe(true);
    expect(short.length).toBeLessThan(20_000);
    const long = uploadPageDataUrl(html + 'x'.repeat(DATA_URL_MAX_CHARS));
    expect(long.url).toBeNull();
    expect(long.length).toBeGreaterThan(DATA_URL_MAX_CHARS);
  });

  it('is saved under a plain name made from the folder', () => {
    expect(uploadPageFileName('photos', 'trips/2026 Rome/')).toBe('upload-to-2026-Rome.html');
    expect(uploadPageFileName('photos', '')).toBe('upload-to-photos.html');
    expect(uploadPageFileName('photos', 'наши/')).toBe('upload-to-bucket.html');
  });
});

describe('local addresses (which a data: page may not reach in Chromium)', () => {
  it('are loopback, private ranges, link-local and .local names; public hosts are not', () => {
    for (const url of [
      'http://127.0.0.1:9000/b',
      'http://localhost:9000/b',
      'http://[::1]:9000/b',
      'http://10.1.2.3/b',
      'http://172.20.0.5/b',
      'http://192.168.1.10/b',
      'http://169.254.1.1/b',
      'http://nas.local/b',
      'http://[fd12::1]/b',
    ]) {
      expect(isLocalAddress(url), url).toBe(true);
    }
    for (const url of [
      'https://bucket.s3.eu-west-1.amazonaws.com/',
      'https://172.32.0.1/b',
      'https://minio.example.com/b',
    ]) {
      expect(isLocalAddress(url), url).toBe(false);
    }
  });
});
