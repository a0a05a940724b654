import type { ObjectRetention, RetentionMode } from '../../../shared/bucket-rules';

// The retention's end in the person's own locale and time zone, with the time.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A date as a datetime-local field holds it: local time, to the minute. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * Checks a retention as typed, in words: a date in the future, and no shorter (nor GOVERNANCE)
 * where a COMPLIANCE one holds, which S3 would refuse.
 */
export function checkRetention(
  mode: RetentionMode,
  untilInput: string,
  current: ObjectRetention | null,
  now: number,
): { ok: true; value: ObjectRetention } | { ok: false; problem: string } {
  // A datetime-local value has no offset, so Date reads it as local time, as the person meant it.
  const until = untilInput.trim() === '' ? Number.NaN : new Date(untilInput).getTime();
  if (Number.isNaN(until)) return { ok: false, problem: 'Choose the date and time the retention ends.' };
  if (until <= now) return { ok: false, problem: 'Choose a date and time in the future for the retention to end.' };
  if (current?.mode === 'COMPLIANCE' && Date.parse(current.until) > now) {
    const ends = dateFormat.format(new Date(current.until));
    if (mode !== 'COMPLIANCE') {
      return { ok: false, problem: `A COMPLIANCE retention cannot be changed to GOVERNANCE before it ends (${ends}).` };
    }
    if (until < Date.parse(current.until)) {
      return { ok: false, problem: `A COMPLIANCE retention cannot be shortened: choose a date after ${ends}.` };
    }
  }
  return { ok: true, value: { mode, until: new Date(until).toISOString() } };
}
