import type { AccountService } from './accounts/account-service';
import type { CapabilityService } from './capabilities/capability-service';
import type { EventBus } from './event-bus';
import type { CustomerKeyStore } from './keychain/customer-key-store';
import type { SecretStore } from './keychain/secret-store';
import type { Logger } from './logging/logger';
import type { OperationRegistry } from './operations/operation-registry';

/** What every domain's services are built from: shared parts made once by createServices. */
export interface ServiceContext {
  accounts: AccountService;
  /** What each account's service (and bucket) can do: every domain reads it, and teaches it from answers. */
  capabilities: CapabilityService;
  bus: EventBus;
  logger: Logger;
  operations: OperationRegistry;
  /** The app's own folder (settings.json, logs/, and any state a domain keeps on disk). */
  dataDir: string;
  /** The OS keychain (or the session store where there is none). */
  keychain: SecretStore;
  /** SSE-C customer keys per account (keychain, or memory where the secrets are session-only). */
  customerKeys: CustomerKeyStore;
  /** What only the desktop app can do; absent in web mode and tests. */
  desktop: DesktopIntegration | undefined;
}

/** Desktop features that need Electron, passed in by src/main/electron (services never import it). */
export interface DesktopIntegration {
  /** The native folder picker; null when the person cancels. */
  chooseFolder(title: string): Promise<string | null>;
  /** The native save dialog, offering a file name; the path picked, or null when the person cancels (optional: older stand-ins lack it). */
  chooseSavePath?(
    title: string,
    defaultName: string,
    filter: { name: string; extensions: string[] },
  ): Promise<string | null>;
  /** Shows a file in the OS file manager. */
  reveal(path: string): void;
  /**
   * Moves a file to the OS trash (a mirror sync deleting local files): optional, and absent in
   * web mode, where local files are never deleted.
   */
  trashItem?(path: string): Promise<void>;
  /** A desktop notification (a long batch finished). */
  notify(title: string, body: string): void;
  /** The OS Downloads folder. */
  downloadsDir(): string;
  /** Starts dragging local files out of the window (drag-out to the desktop). */
  startDrag(files: string[]): void;
  /** Opens a file with the OS's default app for its type; throws (in words) where none opens it. Optional: older stand-ins lack it. */
  openPath?(path: string): Promise<void>;
  /** Lets the person pick an app, then opens the file with it; false when the picker is cancelled. */
  openWith?(path: string): Promise<boolean>;
}
