import { writeFile } from 'node:fs/promises';
import {
  matchesActivityFilter,
  type ActivityEntry,
  type ActivityExport,
  type ActivityFilter,
} from '../../../shared/activity';
import { AppFailure } from '../app-failure';
import type { DomainServices } from '../handlers';
import type { DesktopIntegration } from '../service-context';
import { activityCsv, activityJson } from './activity-export';
import type { ActivityStore } from './activity-store';

/** The activity log's channels. */
type ActivityChannel = 'activity.list' | 'activity.export' | 'activity.saveExport' | 'activity.clear';

/** The entries matching a filter, newest first. */
async function matching(store: ActivityStore, filter: ActivityFilter): Promise<ActivityEntry[]> {
  return (await store.all()).filter((entry) => matchesActivityFilter(entry, filter)).reverse();
}

/** The handlers of the activity log's channels (the recorder itself wraps every handler in createServices). */
export function createActivityServices(deps: {
  store: ActivityStore;
  desktop: DesktopIntegration | undefined;
  now?: () => Date;
}): DomainServices<ActivityChannel> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());

  async function exported(format: 'csv' | 'json', filter: ActivityFilter): Promise<ActivityExport> {
    const entries = await matching(store, filter);
    return {
      fileName: `activity-${now().toISOString().slice(0, 10)}.${format}`,
      mimeType: format === 'csv' ? 'text/csv' : 'application/json',
      content: format === 'csv' ? activityCsv(entries) : activityJson(entries),
      count: entries.length,
    };
  }

  return {
    handlers: {
      'activity.list': async ({ filter, offset, limit }) => {
        const all = await store.all();
        const accounts = new Map<string, string>();
        for (let i = all.length - 1; i >= 0; i -= 1) {
          const entry = all[i];
          if (entry?.accountId && entry.accountName && !accounts.has(entry.accountId)) {
            accounts.set(entry.accountId, entry.accountName);
          }
        }
        const entries = all.filter((entry) => matchesActivityFilter(entry, filter)).reverse();
        return {
          entries: entries.slice(offset, offset + limit),
          total: entries.length,
          accounts: [...accounts].map(([id, name]) => ({ id, name })),
        };
      },
      'activity.export': ({ format, filter }) => exported(format, filter),
      'activity.saveExport': async ({ format, filter }, request) => {
        const choose = deps.desktop?.chooseSavePath?.bind(deps.desktop);
        if (request.host !== 'ipc' || !choose) {
          throw new AppFailure(
            'not-supported',
            'Saving with a dialog works in the desktop app; a browser downloads the file.',
          );
        }
        const file = await exported(format, filter);
        const path = await choose('Export the activity log', file.fileName, {
          name: format === 'csv' ? 'CSV' : 'JSON',
          extensions: [format],
        });
        if (path === null) return { saved: null, count: file.count };
        await writeFile(path, file.content, 'utf8');
        return { saved: path, count: file.count };
      },
      'activity.clear': async () => ({ cleared: await store.clear() }),
    },
  };
}
