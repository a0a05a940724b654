import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWebSocketTransport } from './web-transport';

/** A WebSocket stand-in: records what is sent; the test opens, answers and closes it. */
class FakeSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static last: FakeSocket | null = null;
  readyState = FakeSocket.CONNECTING;
  sent: string[] = [];
  constructor(readonly url: string) {
    super();
    FakeSocket.last = this;
  }
  send(data: string): void {
    this.sent.push(data);
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }
  answer(id: number, result: unknown): void {
    const event = new Event('message') as Event & { data: string };
    event.data = JSON.stringify({ id, result });
    this.dispatchEvent(event);
  }
  close(): void {
    this.readyState = FakeSocket.CLOSED;
    this.dispatchEvent(new Event('close'));
  }
}

function connect() {
  vi.stubGlobal('WebSocket', FakeSocket);
  const transport = createWebSocketTransport('ws://127.0.0.1/api?token=t');
  const socket = FakeSocket.last as FakeSocket;
  return { transport, socket };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the WebSocket transport', () => {
  it('sends a request at once while the socket is open, before anything else runs', async () => {
    const { transport, socket } = connect();
    socket.open();
    const answer = transport.invoke('accounts.list', {});
    // Synchronously: a render queued by the same state change does not hold the request back.
    expect(socket.sent.map((frame) => JSON.parse(frame) as unknown)).toEqual([
      { id: 1, channel: 'accounts.list', input: {} },
    ]);
    socket.answer(1, { ok: true, value: [] });
    await expect(answer).resolves.toEqual({ ok: true, value: [] });
  });

  it('holds requests made before the socket opens until it does', async () => {
    const { transport, socket } = connect();
    const answer = transport.invoke('accounts.list', {});
    expect(socket.sent).toEqual([]);
    socket.open();
    await Promise.resolve();
    expect(socket.sent).toHaveLength(1);
    socket.answer(1, { ok: true, value: [] });
    await expect(answer).resolves.toEqual({ ok: true, value: [] });
  });

  it('answers every request with a network error when the connection is lost', async () => {
    const { transport, socket } = connect();
    socket.open();
    const inFlight = transport.invoke('accounts.list', {});
    socket.close();
    await expect(inFlight).resolves.toMatchObject({ ok: false, error: { code: 'network' } });
    await expect(transport.invoke('accounts.list', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'network' },
    });
  });
});
