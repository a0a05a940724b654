import { z } from 'zod';
import { event, request } from './contract-spec';

/** Request channels of s3:// links the OS opened the app with, spread into the contract. */
export const linkRequests = {
  /**
   * The s3:// links that arrived (a click in another app, a second launch with a link) since the
   * last call, oldest first, and forgets them: the window asks on start and after each
   * `links.received`, so a link that came before the window loaded is not lost.
   */
  'links.takePending': request<{ links: string[] }>()(z.object({}).strict()),
} as const;

/** Event channels of s3:// links. */
export const linkEvents = {
  /** A link arrived: the window takes it with `links.takePending`. */
  'links.received': event<{ pending: number }>(),
} as const;
