import { z } from 'zod';
import { event, request } from './contract-spec';
import { activityFilterSchema, type ActivityExport, type ActivityPage } from './activity';

const exportFormat = z.enum(['csv', 'json']);

/** Request channels of the activity log (issue #15), spread into the contract. */
export const activityRequests = {
  /** One page of the log, newest first, filtered by words, account, kind and result. */
  'activity.list': request<ActivityPage>()(
    z
      .object({
        filter: activityFilterSchema.default({ query: '' }),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
  ),
  /** The entries matching a filter as CSV or JSON text (a browser downloads it). */
  'activity.export': request<ActivityExport>()(
    z.object({ format: exportFormat, filter: activityFilterSchema.default({ query: '' }) }).strict(),
  ),
  /**
   * Saves an export where the person picks, with the desktop app's save dialog; `saved` is null
   * when they cancel. Desktop app only: a browser downloads what `activity.export` gives.
   */
  'activity.saveExport': request<{ saved: string | null; count: number }>()(
    z.object({ format: exportFormat, filter: activityFilterSchema.default({ query: '' }) }).strict(),
  ),
  /** Empties the log (the clearing itself is then its first entry). */
  'activity.clear': request<{ cleared: number }>()(z.object({}).strict()),
} as const;

/** Event channels of the activity log. */
export const activityEvents = {
  /** Entries were added or updated (a long operation ended): an open panel lists again. */
  'activity.changed': event<{ total: number }>(),
} as const;
