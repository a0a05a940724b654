import type { linkRequests } from '../../../shared/links-contract';
import { isParseError, parseLocationInput } from '../../../shared/s3-location';
import type { EventBus } from '../event-bus';
import type { DomainServices } from '../handlers';

/** How many links wait at most: a flood of launches keeps the newest, not an ever-growing list. */
const MAX_PENDING = 20;

/** s3:// links handed to the app by the OS, kept until the window takes them. */
export interface LinkInbox extends DomainServices<keyof typeof linkRequests> {
  /** Queues a link the OS opened the app with; false (and nothing queued) when it is not an s3:// location. */
  deliver(link: string): boolean;
}

/**
 * Creates the inbox. The Electron glue delivers links (first launch, a second instance's
 * command line, macOS open-url); the window takes them. Only links the shared parser reads as
 * a location are kept, and only as text: the window parses them again and picks the account.
 */
export function createLinkInbox(bus: EventBus): LinkInbox {
  const pending: string[] = [];
  return {
    deliver(link) {
      const text = link.trim();
      if (!/^s3:\/\//i.test(text) || text.length > 4096 || isParseError(parseLocationInput(text))) return false;
      pending.push(text);
      if (pending.length > MAX_PENDING) pending.splice(0, pending.length - MAX_PENDING);
      bus.emit('links.received', { pending: pending.length });
      return true;
    },
    handlers: {
      'links.takePending': async () => ({ links: pending.splice(0, pending.length) }),
    },
  };
}
