import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './content-security-policy';

/** The policy as directive → sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  it('lets previews stream images, media and PDF frames from HTTPS endpoints and local ones', () => {
    const policy = directives(contentSecurityPolicy());
    for (const name of ['img-src', 'media-src', 'frame-src']) {
      expect(policy.get(name), name).toEqual(
        expect.arrayContaining(['https:', 'http://127.0.0.1:*', 'http://localhost:*']),
      );
      // Plain HTTP only on this computer.
      expect(policy.get(name), name).not.toContain('http:');
      // CSP has no syntax for IPv6 literals: Chromium logs an error for each such source.
      expect(
        policy.get(name)?.some((source) => source.includes('[')),
        name,
      ).toBe(false);
    }
  });

  it('keeps scripts, connections, objects and forms to our own origin', () => {
    const policy = directives(contentSecurityPolicy(['ws://127.0.0.1:4000']));
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:4000']);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });
});
