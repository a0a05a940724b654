/**
 * The answers a ranged or whole GET off the app's own socket must not take for the bytes asked (socket-range.ts),
 * from a local server that answers as scripted (it checks no signature): each is left to the
 * SDK before a byte is written, or fails in words. The real services are in
 * transfers-faults.int.test.ts, transfers-tls-download.int.test.ts and the compatibility suite.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scriptedServerClient } from '../../../../test/scripted-server-client';
import { leanGetRange, leanGetWhole, type LeanHead, type RangeSink } from './socket-range';

/** What the server sends for the next request: raw bytes, written as they are (pieces of a list 20 ms apart). */
let answer: (request: string) => Buffer | string | string[] = () => '';
/** Whether the server keeps the connection open after its answer (a stalled body). */
let keepOpen = false;
let server: net.Server;
let endpoint: string;

beforeAll(async () => {
  server = net.createServer((socket) => {
    let seen = '';
    socket.on('data', (piece) => {
      seen += piece.toString('latin1');
      if (!seen.includes('\r\n\r\n')) return;
      const sent = answer(seen);
      const pieces = Array.isArray(sent) ? sent : [sent];
      const last = pieces.pop() ?? '';
      void (async () => {
        for (const piece of pieces) {
          socket.write(piece, 'latin1');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        // Strings as latin1: one byte a character, so a test can send any bytes.
        if (keepOpen) socket.write(last, 'latin1');
        else socket.end(last, 'latin1');
      })();
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A new client: each has its own connections. */
function client() {
  return scriptedServerClient(endpoint);
}

/** A sink that keeps what it is given. */
function keeper(): RangeSink & { writes: Array<{ position: number; bytes: Buffer }> } {
  const writes: Array<{ position: number; bytes: Buffer }> = [];
  return {
    writes,
    write: async (bytes, position) => void writes.push({ position, bytes: Buffer.from(bytes) }),
  };
}

const range = { start: 100, end: 110 };
const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;

describe('a ranged GET off its own socket', () => {
  test('the range asked for: its bytes at their place, asked with the range, If-Match and Connection: close', async () => {
    let request = '';
    answer = (seen) => {
      request = seen;
      return (
        head(['HTTP/1.1 206 Partial Content', 'Content-Length: 10', 'Content-Range: bytes 100-109/1000']) + '0123456789'
      );
    };
    const sink = keeper();
    const s3 = client();
    const outcome = await leanGetRange(
      s3,
      'b',
      'a key/é.bin',
      { ...range, ifMatch: '"abc"' },
      new AbortController().signal,
      sink,
    );
    expect(outcome).toBe('done');
    expect(Buffer.concat(sink.writes.map((w) => w.bytes)).toString()).toBe('0123456789');
    expect(sink.writes[0]?.position).toBe(100);
    expect(request).toMatch(/^GET \/b\/a%20key\/%C3%A9\.bin HTTP\/1\.1\r\n/);
    expect(request).toMatch(/\r\nrange: bytes=100-109\r\n/);
    expect(request).toMatch(/\r\nif-match: "abc"\r\n/);
    expect(request).toMatch(/\r\nauthorization: AWS4-HMAC-SHA256 /);
    expect(request).toMatch(/\r\nconnection: close\r\n\r\n$/);
    s3.destroy();
  });

  test.each([
    [
      'a chunked answer',
      ['HTTP/1.1 206 Partial Content', 'Transfer-Encoding: chunked', 'Content-Range: bytes 100-109/1000'],
      'a\r\n0123456789\r\n0\r\n\r\n',
    ],
    [
      'another range',
      ['HTTP/1.1 206 Partial Content', 'Content-Length: 10', 'Content-Range: bytes 0-9/1000'],
      '0123456789',
    ],
    [
      'another length',
      ['HTTP/1.1 206 Partial Content', 'Content-Length: 5', 'Content-Range: bytes 100-104/1000'],
      '01234',
    ],
    ['the whole object (Range ignored)', ['HTTP/1.1 200 OK', 'Content-Length: 10'], '0123456789'],
  ])('%s is left to the SDK, nothing written', async (_, lines, body) => {
    answer = () => head(lines) + body;
    const sink = keeper();
    const s3 = client();
    expect(await leanGetRange(s3, 'b', 'k', range, new AbortController().signal, sink)).toBe('not-lean');
    expect(sink.writes).toEqual([]);
    s3.destroy();
  });

  test('a refusal is thrown as the SDK throws it: its code, message and status', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><RequestId>R1</RequestId></Error>';
    answer = () => head(['HTTP/1.1 412 Precondition Failed', `Content-Length: ${xml.length}`]) + xml;
    const s3 = client();
    const refused = leanGetRange(s3, 'b', 'k', range, new AbortController().signal, keeper());
    await expect(refused).rejects.toMatchObject({
      name: 'PreconditionFailed',
      message: 'At least one of the pre-conditions you specified did not hold',
      $metadata: { httpStatusCode: 412, requestId: 'R1' },
    });
    s3.destroy();
  });

  test('a body cut short fails as a network error; more than was asked too', async () => {
    const s3 = client();
    answer = () =>
      head(['HTTP/1.1 206 Partial Content', 'Content-Length: 10', 'Content-Range: bytes 100-109/1000']) + '01234';
    await expect(leanGetRange(s3, 'b', 'k', range, new AbortController().signal, keeper())).rejects.toThrow(
      'The download was cut short.',
    );
    answer = () =>
      head(['HTTP/1.1 206 Partial Content', 'Content-Length: 10', 'Content-Range: bytes 100-109/1000']) +
      '0123456789ABC';
    await expect(leanGetRange(s3, 'b', 'k', range, new AbortController().signal, keeper())).rejects.toThrow(
      'The service sent more than was asked.',
    );
    s3.destroy();
  });

  test('a body after its head, in reads of its own, lands in place: batches at their positions, every byte', async () => {
    // 2.5 MiB of a 3 MiB object from 1 MiB + 7, in pieces 20 ms apart: the socket reads the
    // body into the batches themselves (no copy), so a wrong place or count would show here.
    const start = 1024 * 1024 + 7;
    const body = Buffer.alloc(2.5 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31 + (i >> 12)) & 0xff;
    const end = start + body.length;
    const cut = [0, 300_000, 1_100_000, 1_100_001, 2_000_000, body.length];
    answer = () => [
      head([
        'HTTP/1.1 206 Partial Content',
        `Content-Length: ${body.length}`,
        `Content-Range: bytes ${start}-${end - 1}/${3 * 1024 * 1024 + 7}`,
      ]),
      ...cut.slice(1).map((to, i) => body.subarray(cut[i], to).toString('latin1')),
    ];
    const sink = keeper();
    const s3 = client();
    expect(await leanGetRange(s3, 'b', 'k', { start, end }, new AbortController().signal, sink)).toBe('done');
    const file = Buffer.alloc(end);
    for (const { position, bytes } of sink.writes) bytes.copy(file, position);
    expect(file.subarray(start).equals(body)).toBe(true);
    expect(sink.writes.reduce((sum, w) => sum + w.bytes.length, 0)).toBe(body.length);
    expect(sink.writes.length).toBeGreaterThan(2);
    s3.destroy();
  });

  test('more than was asked, in a read after the head, fails as a network error', async () => {
    answer = () => [
      head(['HTTP/1.1 206 Partial Content', 'Content-Length: 10', 'Content-Range: bytes 100-109/1000']),
      '01234',
      '56789ABC',
    ];
    const s3 = client();
    await expect(leanGetRange(s3, 'b', 'k', range, new AbortController().signal, keeper())).rejects.toThrow(
      'The service sent more than was asked.',
    );
    s3.destroy();
  });

  test('an abort ends it at once with the signal reason', async () => {
    keepOpen = true;
    answer = () => head(['HTTP/1.1 206 Partial Content', 'Content-Length: 10', 'Content-Range: bytes 100-109/1000']);
    const s3 = client();
    const controller = new AbortController();
    const reading = leanGetRange(s3, 'b', 'k', range, controller.signal, keeper());
    setTimeout(() => controller.abort(new Error('paused')), 50);
    await expect(reading).rejects.toThrow('paused');
    keepOpen = false;
    s3.destroy();
  });
});

describe('a whole GET off its own socket', () => {
  /** A sink that keeps the head and the bytes, in the order they came. */
  function wholeKeeper() {
    const events: string[] = [];
    const heads: LeanHead[] = [];
    const sink = keeper();
    return {
      events,
      heads,
      writes: sink.writes,
      begin: (answer: LeanHead) => {
        events.push('head');
        heads.push(answer);
      },
      write: async (bytes: Buffer, position: number) => {
        events.push(`write ${position}`);
        await sink.write(bytes, position);
      },
    };
  }

  test('the head before any byte, then the body from 0; asked with no Range, with checksum mode when asked', async () => {
    let request = '';
    const body = Buffer.alloc(3 * 1024 * 1024 + 5, 7);
    answer = (seen) => {
      request = seen;
      return Buffer.concat([
        Buffer.from(
          head([
            'HTTP/1.1 200 OK',
            `Content-Length: ${body.length}`,
            'ETag: "0123456789abcdef0123456789abcdef"',
            'x-amz-checksum-sha256: AAAA',
          ]),
        ),
        body,
      ]);
    };
    const sink = wholeKeeper();
    const s3 = client();
    expect(await leanGetWhole(s3, 'b', 'k', { checksums: true }, new AbortController().signal, sink)).toBe('done');
    expect(sink.events[0]).toBe('head');
    expect(sink.heads[0]?.headers.etag).toBe('"0123456789abcdef0123456789abcdef"');
    expect(sink.heads[0]?.headers['x-amz-checksum-sha256']).toBe('AAAA');
    // In batches of up to 1 MiB, at their places.
    expect(sink.writes.map((w) => w.position)).toEqual([0, 1, 2, 3].map((n) => n * 1024 * 1024));
    expect(Buffer.concat(sink.writes.map((w) => w.bytes)).equals(body)).toBe(true);
    expect(request).not.toMatch(/\r\nrange:/i);
    expect(request).toMatch(/\r\nx-amz-checksum-mode: ENABLED\r\n/);
    expect(request).toMatch(/\r\nconnection: close\r\n\r\n$/);

    answer = () => head(['HTTP/1.1 200 OK', 'Content-Length: 0']);
    const empty = wholeKeeper();
    expect(await leanGetWhole(s3, 'b', 'k', { checksums: false }, new AbortController().signal, empty)).toBe('done');
    expect(empty.events).toEqual(['head']);
    s3.destroy();
  });

  test.each([
    ['a chunked answer', ['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked'], 'a\r\n0123456789\r\n0\r\n\r\n'],
    ['no length', ['HTTP/1.1 200 OK'], '0123456789'],
    [
      'a part of it',
      ['HTTP/1.1 206 Partial Content', 'Content-Length: 10', 'Content-Range: bytes 0-9/20'],
      '0123456789',
    ],
  ])('%s is left to the SDK: no head taken, nothing written', async (_, lines, body) => {
    answer = () => head(lines) + body;
    const sink = wholeKeeper();
    const s3 = client();
    expect(await leanGetWhole(s3, 'b', 'k', { checksums: false }, new AbortController().signal, sink)).toBe('not-lean');
    expect(sink.events).toEqual([]);
    s3.destroy();
  });

  test('a head that comes in pieces over several reads: gathered, and the body after it intact', async () => {
    const body = 'the body of the object';
    const whole = head(['HTTP/1.1 200 OK', `Content-Length: ${body.length}`, 'ETag: "abc"']);
    answer = () => [whole.slice(0, 9), whole.slice(9, 30), whole.slice(30) + body.slice(0, 5), body.slice(5)];
    const sink = wholeKeeper();
    const s3 = client();
    expect(await leanGetWhole(s3, 'b', 'k', { checksums: false }, new AbortController().signal, sink)).toBe('done');
    expect(sink.heads[0]?.headers.etag).toBe('"abc"');
    expect(Buffer.concat(sink.writes.map((w) => w.bytes)).toString()).toBe(body);
    s3.destroy();
  });

  test('a second GET writes from the buffers of the first (kept for reuse, not made afresh)', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 1);
    answer = () => Buffer.concat([Buffer.from(head(['HTTP/1.1 200 OK', `Content-Length: ${body.length}`])), body]);
    const s3 = client();
    const buffersOf = async () => {
      const seen = new Set<ArrayBufferLike>();
      const outcome = await leanGetWhole(s3, 'b', 'k', { checksums: false }, new AbortController().signal, {
        begin: () => undefined,
        write: async (bytes) => void seen.add(bytes.buffer),
      });
      expect(outcome).toBe('done');
      return seen;
    };
    const first = await buffersOf();
    const second = await buffersOf();
    expect([...second].filter((buffer) => first.has(buffer)).length).toBeGreaterThan(0);
    s3.destroy();
  });

  test("the sink's refusal of the head ends it with its error, nothing written; a cut body is a network error", async () => {
    answer = () => head(['HTTP/1.1 200 OK', 'Content-Length: 10']) + '0123456789';
    const s3 = client();
    const sink = wholeKeeper();
    const refusing = {
      ...sink,
      begin: () => {
        throw new Error('not this one');
      },
    };
    await expect(
      leanGetWhole(s3, 'b', 'k', { checksums: false }, new AbortController().signal, refusing),
    ).rejects.toThrow('not this one');
    expect(sink.writes).toEqual([]);
    answer = () => head(['HTTP/1.1 200 OK', 'Content-Length: 10']) + '01234';
    await expect(
      leanGetWhole(s3, 'b', 'k', { checksums: false }, new AbortController().signal, wholeKeeper()),
    ).rejects.toThrow('The download was cut short.');
    s3.destroy();
  });
});
