import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  createAppUrlCheck,
  isLocalDevServerUrl,
  isSafeExternalUrl,
  isTrustedSenderFrame,
} from './app-origin';

describe('createAppUrlCheck', () => {
  const packaged = createAppUrlCheck(undefined);
  const dev = createAppUrlCheck('http://localhost:5173/');

  it('accepts our app:// pages', () => {
    expect(packaged(APP_ENTRY_URL)).toBe(true);
    expect(packaged('app://renderer/assets/index-abc.js')).toBe(true);
    expect(packaged('app://renderer')).toBe(true);
  });

  it.each([
    'app://other/index.html',
    'app://renderer:8080/index.html',
    'app://x@renderer/index.html',
    'app://renderer@evil/index.html',
    'file:///etc/passwd',
    'https://renderer/index.html',
    'http://localhost:5173/',
    'about:blank',
    '',
    'not a url',
  ])('refuses %s when packaged', (url) => {
    expect(packaged(url)).toBe(false);
  });

  it('accepts the dev server origin only in dev', () => {
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev(APP_ENTRY_URL)).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('http://127.0.0.1:5173/')).toBe(false);
    expect(dev('https://localhost:5173/')).toBe(false);
  });

  it('ignores a dev server URL that is not http(s)', () => {
    expect(createAppUrlCheck('file:///tmp/index.html')('file:///tmp/index.html')).toBe(false);
  });
});

describe('isSafeExternalUrl', () => {
  it.each(['https://docs.aws.amazon.com/s3/', 'http://example.com/a?b=c'])('allows %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(true);
  });

  it.each([
    'file:///C:/Windows/System32/calc.exe',
    'smb://attacker/share',
    'javascript:alert(1)',
    'ms-msdt:/id',
    'app://renderer/index.html',
    'https://user:password@example.com/',
    'https:',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });
});

describe('isLocalDevServerUrl', () => {
  it('accepts loopback http(s) only', () => {
    expect(isLocalDevServerUrl('http://localhost:5173/')).toBe(true);
    expect(isLocalDevServerUrl('http://127.0.0.1:5173/')).toBe(true);
    expect(isLocalDevServerUrl('http://[::1]:5173/')).toBe(true);
    expect(isLocalDevServerUrl('https://evil.example/')).toBe(false);
    expect(isLocalDevServerUrl('file:///tmp/index.html')).toBe(false);
    expect(isLocalDevServerUrl(undefined)).toBe(false);
  });
});

describe('isTrustedSenderFrame', () => {
  const isAppUrl = createAppUrlCheck(undefined);
  const mainFrame = { frameTreeNodeId: 1, url: APP_ENTRY_URL };

  it('trusts our main frame on our page', () => {
    expect(isTrustedSenderFrame({ frameTreeNodeId: 1, url: APP_ENTRY_URL }, mainFrame, isAppUrl)).toBe(true);
  });

  it('refuses a sub-frame, even one on our origin', () => {
    expect(isTrustedSenderFrame({ frameTreeNodeId: 2, url: APP_ENTRY_URL }, mainFrame, isAppUrl)).toBe(false);
  });

  it('refuses our main frame once it shows a foreign page', () => {
    expect(isTrustedSenderFrame({ frameTreeNodeId: 1, url: 'https://evil.example/' }, mainFrame, isAppUrl)).toBe(false);
  });

  it('refuses a frame that is gone', () => {
    expect(isTrustedSenderFrame(null, mainFrame, isAppUrl)).toBe(false);
  });
});
