import { expiryPresets, expirySecondsSchema } from '../../../shared/share';

/** The units a custom lifetime is typed in. */
export const durationUnits = [
  { unit: 'minutes', label: 'minutes', seconds: 60 },
  { unit: 'hours', label: 'hours', seconds: 60 * 60 },
  { unit: 'days', label: 'days', seconds: 24 * 60 * 60 },
] as const;

/** A unit of a custom lifetime. */
export type DurationUnit = (typeof durationUnits)[number]['unit'];

/** What the expiry chooser holds: a preset (its seconds), or a custom amount and unit as typed. */
export interface ExpiryChoice {
  /** A preset's seconds, or 'custom'. */
  preset: number | 'custom';
  amount: string;
  unit: DurationUnit;
}

/** The choice a dialog opens with: one hour, the preset people pick most. */
export const defaultExpiryChoice: ExpiryChoice = { preset: expiryPresets[1].seconds, amount: '2', unit: 'hours' };

/** A lifetime in seconds, or the reason it cannot be used (the shared schema's own words). */
export type ExpiryResult = { seconds: number; error: null } | { seconds: null; error: string };

/**
 * The lifetime a choice stands for, checked with expirySecondsSchema (the schema main applies),
 * so 0, a negative number or more than 7 days is refused here, before anything is sent.
 */
export function expiryOf(choice: ExpiryChoice): ExpiryResult {
  if (choice.preset !== 'custom') return { seconds: choice.preset, error: null };
  const text = choice.amount.trim();
  if (text === '') return { seconds: null, error: 'Give the link a lifetime.' };
  const amount = Number(text);
  if (!Number.isFinite(amount)) return { seconds: null, error: 'Give the lifetime as a number.' };
  const unit = durationUnits.find((u) => u.unit === choice.unit) ?? durationUnits[0];
  // Rounded to whole seconds: "1.5 hours" is fine, and the schema wants an integer.
  const seconds = Math.round(amount * unit.seconds);
  const checked = expirySecondsSchema.safeParse(seconds);
  if (!checked.success) return { seconds: null, error: checked.error.issues[0]?.message ?? 'Not a valid lifetime.' };
  return { seconds: checked.data, error: null };
}

// The person's own locale and time zone, to the second: the "exact expiry time" the dialog promises.
const exactFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** An instant as a local date and time with seconds ("12 May 2026, 14:03:27"). */
export function formatExactTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : exactFormat.format(date);
}

/**
 * How far an instant is from now, in the largest unit that reads well: "in 1 hour",
 * "in 7 days", "in 45 minutes", "2 hours ago". Rounded, so a link made one hour ahead and shown
 * a second later still says "in 1 hour".
 */
export function formatRelativeTime(iso: string, now: number = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  if (!Number.isFinite(seconds)) return '';
  const minutes = Math.round(seconds / 60);
  if (Math.abs(seconds) < 60) return relativeFormat.format(Math.round(seconds), 'second');
  if (Math.abs(minutes) < 60) return relativeFormat.format(minutes, 'minute');
  const hours = Math.round(seconds / 3600);
  if (Math.abs(hours) < 24) return relativeFormat.format(hours, 'hour');
  return relativeFormat.format(Math.round(seconds / 86400), 'day');
}

/** Whether an instant is past. */
export function isPast(iso: string, now: number = Date.now()): boolean {
  return new Date(iso).getTime() <= now;
}
