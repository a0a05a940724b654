import { describe, expect, it } from 'vitest';
import { checkRetention, toLocalInput } from './retention-check';

const now = Date.parse('2026-06-01T12:00:00Z');
const inADay = toLocalInput(new Date(now + 24 * 60 * 60 * 1000));

describe('checkRetention', () => {
  it('takes a future date, as an ISO instant of the local time typed', () => {
    const checked = checkRetention('GOVERNANCE', inADay, null, now);
    expect(checked).toEqual({ ok: true, value: { mode: 'GOVERNANCE', until: new Date(inADay).toISOString() } });
  });

  it('refuses an empty or past date in words', () => {
    expect(checkRetention('GOVERNANCE', '', null, now)).toEqual({
      ok: false,
      problem: 'Choose the date and time the retention ends.',
    });
    expect(checkRetention('GOVERNANCE', toLocalInput(new Date(now - 60_000)), null, now)).toMatchObject({
      ok: false,
      problem: 'Choose a date and time in the future for the retention to end.',
    });
  });

  it('refuses to shorten a COMPLIANCE retention or turn it into GOVERNANCE, and lets it be extended', () => {
    const current = { mode: 'COMPLIANCE' as const, until: new Date(now + 2 * 24 * 60 * 60 * 1000).toISOString() };
    expect(checkRetention('COMPLIANCE', inADay, current, now)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('A COMPLIANCE retention cannot be shortened'),
    });
    expect(checkRetention('GOVERNANCE', toLocalInput(new Date(now + 3 * 86_400_000)), current, now)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('cannot be changed to GOVERNANCE'),
    });
    expect(checkRetention('COMPLIANCE', toLocalInput(new Date(now + 3 * 86_400_000)), current, now).ok).toBe(true);
  });
});
