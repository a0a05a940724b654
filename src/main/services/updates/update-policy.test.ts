import { describe, expect, it } from 'vitest';
import { isUpdateCheckDue, releaseNotesText, UPDATE_CHECK_INTERVAL_MS, updateInstallBlocker } from './update-policy';

const now = new Date('2026-12-02T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

describe('update policy', () => {
  it('checks at most once a day, and never when turned off', () => {
    expect(isUpdateCheckDue({ enabled: true, lastCheckedAt: null }, now)).toBe(true);
    expect(isUpdateCheckDue({ enabled: true, lastCheckedAt: ago(UPDATE_CHECK_INTERVAL_MS - 60_000) }, now)).toBe(false);
    expect(isUpdateCheckDue({ enabled: true, lastCheckedAt: ago(UPDATE_CHECK_INTERVAL_MS) }, now)).toBe(true);
    expect(isUpdateCheckDue({ enabled: false, lastCheckedAt: null }, now)).toBe(false);
    expect(isUpdateCheckDue({ enabled: true, lastCheckedAt: ago(-3_600_000) }, now)).toBe(true);
    expect(isUpdateCheckDue({ enabled: true, lastCheckedAt: 'garbage' }, now)).toBe(true);
  });

  it('never installs while transfers run, and says why', () => {
    expect(updateInstallBlocker(0)).toBeNull();
    expect(updateInstallBlocker(1)).toMatch(/^A transfer is running/);
    expect(updateInstallBlocker(3)).toMatch(/^3 transfers are running/);
  });

  it("turns GitHub's release notes into plain text", () => {
    expect(releaseNotesText('<h2>Fixes</h2><ul><li>Uploads &amp; downloads resume</li><li>a &lt;b&gt;</li></ul>')).toBe(
      'Fixes\n• Uploads & downloads resume\n• a <b>',
    );
    expect(releaseNotesText([{ version: '1.2.0', note: '<p>New icon</p>' }])).toBe('1.2.0\nNew icon');
    expect(releaseNotesText(null)).toBe('');
    expect(releaseNotesText('<script>alert(1)</script>x')).toBe('alert(1)x');
  });
});
