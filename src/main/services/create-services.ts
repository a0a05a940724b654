import { ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AppInfo } from '../../shared/models';
import type { ConfiguredAccount } from './accounts/env-account';
import { AppFailure } from './app-failure';
import { createEventBus, type EventBus } from './event-bus';
import type { Handlers, ServiceHandlers } from './handlers';
import { classifyS3Error } from './s3/classify-s3-error';
import { createS3Client } from './s3/s3-client';

/** What the services are built from; passed in so tests and both hosts can choose. */
export interface ServiceDependencies {
  appInfo: AppInfo;
  accounts: readonly ConfiguredAccount[];
}

/** The app's services: request handlers for the hosts, and the event bus they forward. */
export interface Services extends ServiceHandlers {
  bus: EventBus;
}

/** Wires the services together; knows nothing of Electron or of which host serves it. */
export function createServices(deps: ServiceDependencies): Services {
  const bus = createEventBus();
  const clients = new Map<string, S3Client>();

  function clientFor(accountId: string): S3Client {
    const account = deps.accounts.find((a) => a.summary.id === accountId);
    if (!account) throw new AppFailure('invalid-input', `No account with id "${accountId}". Refresh the account list.`);
    let client = clients.get(accountId);
    if (!client) {
      client = createS3Client(account.connection);
      clients.set(accountId, client);
    }
    return client;
  }

  const handlers: Handlers = {
    'app.info': async () => deps.appInfo,
    'accounts.list': async () => deps.accounts.map((a) => a.summary),
    'buckets.list': async ({ accountId }) => {
      const output = await clientFor(accountId).send(new ListBucketsCommand({}));
      return (output.Buckets ?? [])
        .filter((b): b is typeof b & { Name: string } => typeof b.Name === 'string')
        .map((b) => ({ name: b.Name, createdAt: b.CreationDate?.toISOString() ?? null }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
  };

  return { handlers, classifyError: classifyS3Error, bus };
}
