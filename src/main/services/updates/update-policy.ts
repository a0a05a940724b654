/** How often the app looks for a new release at most: once a day. */
export const UPDATE_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Whether a check is due: the setting is on, and no check ran in the last day (a clock set back counts as due). */
export function isUpdateCheckDue(settings: { enabled: boolean; lastCheckedAt: string | null }, now: Date): boolean {
  if (!settings.enabled) return false;
  if (settings.lastCheckedAt === null) return true;
  const last = Date.parse(settings.lastCheckedAt);
  if (Number.isNaN(last) || last > now.getTime()) return true;
  return now.getTime() - last >= UPDATE_CHECK_INTERVAL_MS;
}

/**
 * Whether an update may install now: never while transfers run (a restart would interrupt
 * them; they resume, but a person who is uploading did not ask for that). Null when it may.
 */
export function updateInstallBlocker(activeTransfers: number): string | null {
  if (activeTransfers <= 0) return null;
  return `${activeTransfers === 1 ? 'A transfer is' : `${activeTransfers} transfers are`} running: the update installs when they have finished, or when you quit.`;
}

/**
 * Release notes as plain text: electron-updater gives GitHub's HTML (or, with full notes, a
 * list per version). Tags are dropped and entities decoded, so the notice never renders HTML
 * from the network.
 */
export function releaseNotesText(
  notes: string | ReadonlyArray<{ version: string; note: string | null }> | null | undefined,
): string {
  if (notes === null || notes === undefined) return '';
  const html = typeof notes === 'string' ? notes : notes.map((n) => `${n.version}\n${n.note ?? ''}`).join('\n\n');
  return html
    .replace(/<(br|\/p|\/li|\/h\d)\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '• ')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, 10_000);
}
