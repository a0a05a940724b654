import { describe, expect, it } from 'vitest';
import { createEventBus } from '../event-bus';
import { createLinkInbox } from './link-inbox';

const context = { host: 'ipc' as const };

describe('link inbox', () => {
  it('keeps s3:// links until the window takes them, and tells it each time one arrives', async () => {
    const bus = createEventBus();
    const seen: unknown[] = [];
    bus.onAny((channel, payload) => seen.push([channel, payload]));
    const inbox = createLinkInbox(bus);
    expect(inbox.deliver(' s3://photos/2024/ ')).toBe(true);
    expect(inbox.deliver('s3://photos/a.jpg')).toBe(true);
    expect(seen).toEqual([
      ['links.received', { pending: 1 }],
      ['links.received', { pending: 2 }],
    ]);
    await expect(inbox.handlers['links.takePending']({}, context)).resolves.toEqual({
      links: ['s3://photos/2024/', 's3://photos/a.jpg'],
    });
    await expect(inbox.handlers['links.takePending']({}, context)).resolves.toEqual({ links: [] });
  });

  it('refuses what is not an s3:// location, and keeps only the newest 20', async () => {
    const inbox = createLinkInbox(createEventBus());
    for (const link of ['https://example.com/', 's3://', 's3:///key', '--flag', `s3://b/${'k'.repeat(5000)}`]) {
      expect(inbox.deliver(link), link).toBe(false);
    }
    for (let i = 0; i < 25; i += 1) inbox.deliver(`s3://b/${i}`);
    const { links } = await inbox.handlers['links.takePending']({}, context);
    expect(links).toHaveLength(20);
    expect(links[0]).toBe('s3://b/5');
    expect(links.at(-1)).toBe('s3://b/24');
  });
});
