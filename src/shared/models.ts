/** Data that crosses the process boundary: plain JSON only (dates as ISO strings), never secrets. */

export type { AccountSummary } from './accounts';

/** A bucket as listed by ListBuckets. */
export interface BucketSummary {
  name: string;
  /** ISO 8601, or null where the service does not say. */
  createdAt: string | null;
}

/** Which host serves the contract: the Electron window, or a browser through the WebSocket host. */
export type AppMode = 'electron' | 'web';

/** What the renderer needs to know about the app it runs in. */
export interface AppInfo {
  name: string;
  version: string;
  mode: AppMode;
}
