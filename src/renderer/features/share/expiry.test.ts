import { describe, expect, it } from 'vitest';
import { MAX_LINK_SECONDS } from '../../../shared/share';
import { defaultExpiryChoice, expiryOf, formatExactTime, formatRelativeTime, isPast } from './expiry';

describe('expiryOf', () => {
  it('gives a preset its seconds, one hour by default', () => {
    expect(expiryOf(defaultExpiryChoice)).toEqual({ seconds: 3600, error: null });
    expect(expiryOf({ ...defaultExpiryChoice, preset: MAX_LINK_SECONDS })).toEqual({
      seconds: MAX_LINK_SECONDS,
      error: null,
    });
  });

  it('turns a custom amount and unit into whole seconds', () => {
    expect(expiryOf({ preset: 'custom', amount: '90', unit: 'minutes' })).toEqual({ seconds: 5400, error: null });
    expect(expiryOf({ preset: 'custom', amount: '1.5', unit: 'hours' })).toEqual({ seconds: 5400, error: null });
    expect(expiryOf({ preset: 'custom', amount: ' 7 ', unit: 'days' })).toEqual({
      seconds: MAX_LINK_SECONDS,
      error: null,
    });
  });

  it("refuses 0, negative, over 7 days and non-numbers with the schema's words", () => {
    const refused = (amount: string, unit: 'minutes' | 'hours' | 'days') =>
      expiryOf({ preset: 'custom', amount, unit }).error;
    expect(refused('0', 'minutes')).toBe('A link must live at least 1 second.');
    expect(refused('-5', 'hours')).toBe('A link must live at least 1 second.');
    expect(refused('8', 'days')).toBe('A link can live at most 7 days (a limit of S3 signatures).');
    expect(refused('169', 'hours')).toBe('A link can live at most 7 days (a limit of S3 signatures).');
    expect(refused('', 'hours')).toBe('Give the link a lifetime.');
    expect(refused('soon', 'hours')).toBe('Give the lifetime as a number.');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();

  it('reads well at every scale, rounding a second or two away', () => {
    const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
    expect(formatRelativeTime(at(3599), now)).toBe(rtf.format(1, 'hour'));
    expect(formatRelativeTime(at(15 * 60), now)).toBe(rtf.format(15, 'minute'));
    expect(formatRelativeTime(at(7 * 86400 - 2), now)).toBe(rtf.format(7, 'day'));
    expect(formatRelativeTime(at(-7200), now)).toBe(rtf.format(-2, 'hour'));
    expect(formatRelativeTime(at(30), now)).toBe(rtf.format(30, 'second'));
  });

  it('knows the past', () => {
    expect(isPast(at(-1), now)).toBe(true);
    expect(isPast(at(60), now)).toBe(false);
  });

  it('formats an exact time with seconds, and leaves a bad date as it was', () => {
    const text = formatExactTime('2026-03-01T12:34:56Z');
    expect(text).toMatch(/56/);
    expect(formatExactTime('not a date')).toBe('not a date');
  });
});
