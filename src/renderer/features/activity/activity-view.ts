import type { ActivityEntry, ActivityResult } from '../../../shared/activity';

/** How a result reads in the panel and its filter. */
export const resultLabels: Record<ActivityResult, string> = {
  ok: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  running: 'Running',
};

/** An entry's time as the panel shows it: the local date and time, to the second. */
export function entryTime(entry: ActivityEntry, locale?: string): string {
  const at = new Date(entry.at);
  if (Number.isNaN(at.getTime())) return entry.at;
  return at.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** The result cell's words: the label, and the text where it says more ("Failed: Access denied."). */
export function entryResult(entry: ActivityEntry): string {
  const label = resultLabels[entry.result];
  const text = entry.resultText.trim();
  if (text === '' || text === 'Done.' || (entry.result === 'running' && text === 'Running…')) return label;
  return `${label}: ${text}`;
}
