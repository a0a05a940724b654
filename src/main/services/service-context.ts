import type { AccountService } from './accounts/account-service';
import type { EventBus } from './event-bus';
import type { SecretStore } from './keychain/secret-store';
import type { Logger } from './logging/logger';
import type { OperationRegistry } from './operations/operation-registry';

/** What every domain's services are built from: shared parts made once by createServices. */
export interface ServiceContext {
  accounts: AccountService;
  bus: EventBus;
  logger: Logger;
  operations: OperationRegistry;
  /** The app's own folder (settings.json, logs/, and any state a domain keeps on disk). */
  dataDir: string;
  /** The OS keychain (or the session store where there is none). */
  keychain: SecretStore;
}
