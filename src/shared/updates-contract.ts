import { z } from 'zod';
import { event, request } from './contract-spec';

/** Where app updates stand, as the settings dialog and the update notice show it. */
export interface UpdateStatus {
  /** False in web mode and in an unpackaged run: only installed desktop builds update themselves. */
  supported: boolean;
  /** The person's setting: check GitHub releases at most once a day. */
  enabled: boolean;
  /** When the last check ran (ISO time), or null. */
  lastCheckedAt: string | null;
  /** A newer release, once found; `downloaded` when it is ready to install on restart. */
  available: { version: string; releaseNotes: string; downloaded: boolean } | null;
  /** Why it cannot install now (transfers are running), or null. */
  installBlockedBy: string | null;
}

/** Request channels of app updates, spread into the contract. */
export const updateRequests = {
  'updates.status': request<UpdateStatus>()(z.object({}).strict()),
  /** Turns the daily check on or off (kept in updates-settings.json). */
  'updates.setEnabled': request<UpdateStatus>()(z.object({ enabled: z.boolean() }).strict()),
  /** Restarts into the downloaded update; refused while transfers run. */
  'updates.install': request<{ installing: true }>()(z.object({}).strict()),
} as const;

/** Event channels of app updates. */
export const updateEvents = {
  /** The status changed (a check ran, an update was found or downloaded, transfers started or ended). */
  'updates.changed': event<UpdateStatus>(),
} as const;
