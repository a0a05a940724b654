import { describe, expect, it } from 'vitest';
import { errorOf, spoolUrl } from './spool-client';

describe('the spool client', () => {
  it('encodes each segment of the path on its own', () => {
    expect(spoolUrl('id', 'photos 2024/Ünïcode #1?.jpg')).toBe(
      '/spool/id/photos%202024/%C3%9Cn%C3%AFcode%20%231%3F.jpg',
    );
    expect(spoolUrl('id', 'a%2Fb/c')).toBe('/spool/id/a%252Fb/c');
  });

  it('keeps the endpoint’s error, or says what status came back', () => {
    expect(errorOf(JSON.stringify({ ok: false, error: { code: 'invalid-input', message: 'Bad path.' } }), 400)).toEqual(
      {
        code: 'invalid-input',
        message: 'Bad path.',
      },
    );
    expect(errorOf(JSON.stringify({ ok: false, error: { code: 'weird', message: 'Hm.' } }), 500)).toEqual({
      code: 'internal',
      message: 'Hm.',
    });
    expect(errorOf('<html>', 502)).toEqual({ code: 'internal', message: 'The app refused the file (HTTP 502).' });
  });
});
