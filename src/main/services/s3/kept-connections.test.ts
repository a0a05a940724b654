/**
 * Small GETs over connections the app keeps alive (kept-connections.ts), against a local server
 * that answers as scripted (it checks no signature) and counts its connections: what is kept,
 * what is not, and the answers that must not be taken for the object's bytes. The real services
 * are in transfers-faults.int.test.ts and the compatibility suite's download journey.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { leanGetSmall, leanPutSmall } from './kept-connections';
import { roundTripsOf } from './round-trips';
import { scriptedServerClient } from '../../../../test/scripted-server-client';

/** What the server does with a request: raw bytes to answer, pieces 20 ms apart, or hang up without a word. */
type Reply = string | Buffer | string[] | 'hang up';
/** The server's script: the request, and how many requests its connection carried before it (0: the first). */
let reply: (request: string, before: number) => Reply = () => 'hang up';
/** Whether the server closes each connection right after its first answer (without saying so). */
let closeAfterAnswer = false;
/** Whether the server answers a request as soon as its head is in, then reads nothing more of that connection. */
let answerAtHead = false;
let connections = 0;
const requests: string[] = [];
let server: net.Server;
let endpoint: string;

beforeAll(async () => {
  server = net.createServer((socket) => {
    connections += 1;
    // The server's end of a kept connection never holds the test's process open.
    socket.unref();
    let seen = '';
    let before = 0;
    socket.on('data', (piece) => {
      seen += piece.toString('latin1');
      const end = seen.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (answerAtHead) {
        requests.push(seen.slice(0, end + 4));
        socket.write(reply(seen, before) as string);
        // The rest of the body (and anything after it) is drained unread.
        socket.removeAllListeners('data');
        socket.on('data', () => undefined);
        return;
      }
      // A request's body (a PUT's) is read by its Content-Length, and kept with its head.
      const length = Number(/\r\ncontent-length: (\d+)\r\n/i.exec(seen.slice(0, end + 2))?.[1] ?? 0);
      if (seen.length < end + 4 + length) return;
      const request = seen.slice(0, end + 4 + length);
      seen = seen.slice(end + 4 + length);
      requests.push(request);
      const sent = reply(request, before);
      before += 1;
      if (sent === 'hang up') return void socket.destroy();
      const pieces = Array.isArray(sent) ? [...sent] : [sent];
      void (async () => {
        for (const [index, piece] of pieces.entries()) {
          if (index > 0) await new Promise((resolve) => setTimeout(resolve, 20));
          socket.write(piece);
        }
        if (closeAfterAnswer) socket.end();
      })();
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

afterEach(() => {
  closeAfterAnswer = false;
  answerAtHead = false;
  connections = 0;
  requests.length = 0;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A new client: each has its own connections. */
function client() {
  return scriptedServerClient(endpoint);
}

const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
const ok = (body: string, extra: string[] = []) =>
  head(['HTTP/1.1 200 OK', `Content-Length: ${Buffer.byteLength(body)}`, 'ETag: "abc"', ...extra]) + body;
const get = (s3: ReturnType<typeof client>, key: string, options: { checksums?: boolean; maxBytes?: number } = {}) =>
  leanGetSmall(
    s3,
    'b',
    key,
    { checksums: options.checksums ?? false, maxBytes: options.maxBytes ?? 1024 },
    new AbortController().signal,
  );

/** The bytes of an answer that has them. */
function bytesOf(answer: Awaited<ReturnType<typeof leanGetSmall>>): string | undefined {
  return answer === 'not-lean' ? 'not-lean' : answer.bytes?.toString();
}

describe('the round trip the requests see', () => {
  test("a GET's time from its write, on a new connection too, to its answer's end; not a large one's", async () => {
    // Answered in pieces 20 ms apart: the head at once, the body's two halves 20 and 40 ms later.
    reply = () => [head(['HTTP/1.1 200 OK', 'Content-Length: 4']), 'ab', 'cd'];
    const s3 = client();
    expect(roundTripsOf(s3).floor()).toBeUndefined();
    expect(bytesOf(await get(s3, 'first'))).toBe('abcd');
    const first = roundTripsOf(s3).floor() ?? 0;
    expect(first).toBeGreaterThanOrEqual(39);
    expect(first).toBeLessThan(1000);
    // More than 16 KiB: its time is also the bytes' own on a slow link, and is not counted.
    const large = 'x'.repeat(20 * 1024);
    reply = () => head(['HTTP/1.1 200 OK', `Content-Length: ${large.length}`]) + large;
    expect(bytesOf(await get(s3, 'large', { maxBytes: 64 * 1024 }))).toBe(large);
    expect(roundTripsOf(s3).floor()).toBe(first);
    reply = () => ok('quick');
    expect(bytesOf(await get(s3, 'quick'))).toBe('quick');
    expect(roundTripsOf(s3).floor()).toBeLessThan(first);
    s3.destroy();
  });
});

describe('small GETs over kept connections', () => {
  test('GETs one after another share one connection; each hands back its head and its own bytes', async () => {
    reply = (request) => ok(`body of ${/^GET (\S+)/.exec(request)?.[1]}`, ['x-amz-checksum-sha256: AAAA']);
    const s3 = client();
    const first = await get(s3, 'a key/é.txt', { checksums: true });
    const second = await get(s3, 'two');
    expect(bytesOf(first)).toBe('body of /b/a%20key/%C3%A9.txt');
    expect(bytesOf(second)).toBe('body of /b/two');
    if (first === 'not-lean') throw new Error('not taken');
    expect(first.head.headers.etag).toBe('"abc"');
    expect(first.head.headers['x-amz-checksum-sha256']).toBe('AAAA');
    // A Buffer of its own: handed to the file writer without a copy.
    expect(first.bytes?.byteOffset).toBe(0);
    expect(first.bytes?.buffer.byteLength).toBe(first.bytes?.length);
    expect(connections).toBe(1);
    expect(requests[0]).toMatch(/\r\nx-amz-checksum-mode: ENABLED\r\n/);
    expect(requests[0]).toMatch(/\r\nauthorization: AWS4-HMAC-SHA256 /);
    expect(requests[1]).not.toMatch(/x-amz-checksum-mode/);
    for (const request of requests) expect(request).not.toMatch(/\r\nconnection:/i);
    s3.destroy();
  });

  test('GETs at the same time each take a connection, kept for the next ones', async () => {
    reply = (request) => [
      head(['HTTP/1.1 200 OK', 'Content-Length: 6']),
      /^GET \/b\/(\S+)/.exec(request)?.[1]?.padEnd(6, '.') ?? '',
    ];
    const s3 = client();
    const keys = ['k1', 'k2', 'k3'];
    expect((await Promise.all(keys.map((key) => get(s3, key)))).map(bytesOf)).toEqual(['k1....', 'k2....', 'k3....']);
    expect((await Promise.all(keys.map((key) => get(s3, key)))).map(bytesOf)).toEqual(['k1....', 'k2....', 'k3....']);
    expect(connections).toBe(3);
    s3.destroy();
  });

  test('a kept connection the server drops as the GET is sent is asked again on a new one', async () => {
    reply = (_, before) => (before === 0 ? ok('hello') : 'hang up');
    const s3 = client();
    expect(bytesOf(await get(s3, 'k'))).toBe('hello');
    expect(bytesOf(await get(s3, 'k'))).toBe('hello');
    // The first connection's second request went unanswered; a new connection answered it.
    expect(requests).toHaveLength(3);
    expect(connections).toBe(2);
    s3.destroy();
  });

  test('a new connection the server drops is a failure of the GET (not asked again)', async () => {
    reply = () => 'hang up';
    const s3 = client();
    await expect(get(s3, 'k')).rejects.toThrow('The download was cut short.');
    expect(requests).toHaveLength(1);
    s3.destroy();
  });

  test('a connection the server closed while it was idle is not used again', async () => {
    closeAfterAnswer = true;
    reply = () => ok('hello');
    const s3 = client();
    expect(bytesOf(await get(s3, 'k'))).toBe('hello');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bytesOf(await get(s3, 'k'))).toBe('hello');
    expect(requests).toHaveLength(2);
    expect(connections).toBe(2);
    s3.destroy();
  });

  test.each([
    ['Connection: close', 'HTTP/1.1 200 OK', ['Connection: close']],
    ['Keep-Alive: timeout=1 (less than a second left to use it)', 'HTTP/1.1 200 OK', ['Keep-Alive: timeout=1']],
    ['an HTTP/1.0 answer', 'HTTP/1.0 200 OK', []],
  ])('after %s the connection is not kept', async (_, status, extra) => {
    reply = () => head([status, 'Content-Length: 5', ...extra]) + 'hello';
    const s3 = client();
    expect(bytesOf(await get(s3, 'k'))).toBe('hello');
    expect(bytesOf(await get(s3, 'k'))).toBe('hello');
    expect(connections).toBe(2);
    s3.destroy();
  });

  test('a refusal is thrown as the SDK throws it, and its connection, read to its end, carries the next GET', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>R1</RequestId></Error>';
    reply = (_, before) =>
      before === 0 ? head(['HTTP/1.1 503 Service Unavailable', `Content-Length: ${xml.length}`]) + xml : ok('hello');
    const s3 = client();
    await expect(get(s3, 'k')).rejects.toMatchObject({
      name: 'SlowDown',
      message: 'Please reduce your request rate.',
      $fault: 'server',
      $metadata: { httpStatusCode: 503, requestId: 'R1' },
    });
    expect(bytesOf(await get(s3, 'k'))).toBe('hello');
    expect(connections).toBe(1);
    s3.destroy();
  });

  test('a refusal with no length is read to the connection end', async () => {
    closeAfterAnswer = true;
    reply = () =>
      head(['HTTP/1.1 403 Forbidden']) + '<Error><Code>AccessDenied</Code><Message>Access Denied.</Message></Error>';
    const s3 = client();
    await expect(get(s3, 'k')).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    s3.destroy();
  });

  test('an object larger than asked for: its head and no bytes, its connection closed', async () => {
    reply = () => ok('0123456789');
    const s3 = client();
    const answer = await get(s3, 'k', { maxBytes: 5 });
    if (answer === 'not-lean') throw new Error('not taken');
    expect(answer.bytes).toBeUndefined();
    expect(answer.head.headers['content-length']).toBe('10');
    expect(bytesOf(await get(s3, 'k'))).toBe('0123456789');
    expect(connections).toBe(2);
    s3.destroy();
  });

  test.each([
    ['a chunked answer', ['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked'], '5\r\nhello\r\n0\r\n\r\n'],
    ['an answer with no length', ['HTTP/1.1 200 OK'], 'hello'],
    ['a partial answer', ['HTTP/1.1 206 Partial Content', 'Content-Length: 5', 'Content-Range: bytes 0-4/9'], 'hello'],
  ])('%s is left to the SDK, its connection closed', async (_, lines, body) => {
    reply = () => (requests.length === 1 ? head(lines) + body : ok('hello'));
    const s3 = client();
    expect(await get(s3, 'k')).toBe('not-lean');
    expect(bytesOf(await get(s3, 'k'))).toBe('hello');
    expect(connections).toBe(2);
    s3.destroy();
  });

  test('an interim answer (100 Continue) is passed over; a head in pieces is gathered; an empty object is taken', async () => {
    reply = (_, before) =>
      before === 0
        ? ['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Le', 'ngth: 5\r\n', '\r\nhel', 'lo']
        : head(['HTTP/1.1 200 OK', 'Content-Length: 0']);
    const s3 = client();
    expect(bytesOf(await get(s3, 'k'))).toBe('hello');
    expect(bytesOf(await get(s3, 'empty'))).toBe('');
    expect(connections).toBe(1);
    s3.destroy();
  });

  test('a body cut short, or longer than its length, is a network error', async () => {
    closeAfterAnswer = true;
    reply = () => head(['HTTP/1.1 200 OK', 'Content-Length: 10']) + '01234';
    const s3 = client();
    await expect(get(s3, 'k')).rejects.toThrow('The download was cut short.');
    closeAfterAnswer = false;
    reply = () => head(['HTTP/1.1 200 OK', 'Content-Length: 5']) + '0123456789';
    await expect(get(s3, 'k')).rejects.toThrow('The service sent more than was asked.');
    s3.destroy();
  });

  test('an abort ends the GET at once with the signal reason; the bytes come in as they are told', async () => {
    reply = () => [head(['HTTP/1.1 200 OK', 'Content-Length: 10']) + '01234'];
    const s3 = client();
    const controller = new AbortController();
    const told: number[] = [];
    const getting = leanGetSmall(
      s3,
      'b',
      'k',
      { checksums: false, maxBytes: 1024, onBytes: (received) => told.push(received) },
      controller.signal,
    );
    setTimeout(() => controller.abort(new Error('paused')), 100);
    await expect(getting).rejects.toThrow('paused');
    expect(told).toEqual([5]);
    s3.destroy();
  });

  test('an idle kept connection does not hold the process open', async () => {
    reply = () => ok('hello');
    const s3 = client();
    const sockets = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
    // The sockets of earlier tests' closed connections gone first.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = sockets();
    expect(bytesOf(await get(s3, 'k'))).toBe('hello');
    expect(connections).toBe(1);
    expect(sockets()).toBeLessThanOrEqual(before);
    s3.destroy();
  });
});

describe('small PUTs over kept connections', () => {
  const body = Buffer.from('the bytes of a small file');
  const put = (s3: ReturnType<typeof client>, key: string) =>
    leanPutSmall(
      s3,
      'b',
      key,
      { body, sha256: Buffer.alloc(32, 1), crc32: Buffer.from([1, 2, 3, 4]), contentType: 'text/plain' },
      new AbortController().signal,
    );
  const stored = head(['HTTP/1.1 200 OK', 'Content-Length: 0', 'ETag: "e1"', 'x-amz-checksum-crc32: AQIDBA==']);

  test('PUTs one after another share one connection: head and body sent, signed; the answer gives ETag and checksum', async () => {
    reply = () => stored;
    const s3 = client();
    const first = await put(s3, 'one');
    const second = await put(s3, 'two');
    expect(first).toEqual({
      ETag: '"e1"',
      ChecksumCRC32: 'AQIDBA==',
      ServerSideEncryption: undefined,
      SSECustomerAlgorithm: undefined,
    });
    expect(second?.ETag).toBe('"e1"');
    expect(connections).toBe(1);
    expect(requests[0]).toMatch(/^PUT \/b\/one HTTP\/1\.1\r\n/);
    expect(requests[0]).toMatch(/\r\ncontent-length: 25\r\n/);
    // The CRC32 stored, the payload signed by the SHA-256 (as over plain HTTP: payloadHashFor).
    expect(requests[0]).toMatch(/\r\nx-amz-content-sha256: (01){32}\r\n/);
    expect(requests[0]).toMatch(/\r\nx-amz-checksum-crc32: AQIDBA==\r\n/);
    expect(requests[0]).toMatch(/\r\nauthorization: AWS4-HMAC-SHA256 .*SignedHeaders=[^,]*content-length/);
    expect(requests[0]).toMatch(/\r\nauthorization: AWS4-HMAC-SHA256 .*SignedHeaders=[^,]*x-amz-checksum-crc32/);
    expect(requests[0]?.endsWith(`\r\n\r\n${body.toString()}`)).toBe(true);
    s3.destroy();
  });

  test('a kept connection the server drops as the PUT is sent: the PUT, body and all, is sent again on a new one', async () => {
    reply = (_, before) => (before === 0 ? stored : 'hang up');
    const s3 = client();
    await put(s3, 'one');
    expect((await put(s3, 'two'))?.ETag).toBe('"e1"');
    expect(requests).toHaveLength(3);
    expect(requests[2]).toBe(requests[1]);
    expect(connections).toBe(2);
    s3.destroy();
  });

  test('an answer with a body of no length is taken by its head; its connection is not kept', async () => {
    reply = () => head(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked', 'ETag: "e2"']) + '0\r\n\r\n';
    const s3 = client();
    expect((await put(s3, 'one'))?.ETag).toBe('"e2"');
    expect((await put(s3, 'two'))?.ETag).toBe('"e2"');
    expect(connections).toBe(2);
    s3.destroy();
  });

  test('a PUT answered before its body was all sent leaves its connection: the next request takes a new one', async () => {
    // A server may answer before it has read the body (an early refusal, or a hostile one); the
    // rest of the body is still on its way, and a request written after it would be read as body.
    answerAtHead = true;
    reply = () => stored;
    const s3 = client();
    const large = Buffer.alloc(64 * 1024 * 1024, 7);
    const first = await leanPutSmall(
      s3,
      'b',
      'large',
      { body: large, sha256: Buffer.alloc(32, 1), contentType: 'text/plain' },
      new AbortController().signal,
    );
    expect(first?.ETag).toBe('"e1"');
    answerAtHead = false;
    const second = await leanPutSmall(
      s3,
      'b',
      'small',
      { body, sha256: Buffer.alloc(32, 1), contentType: 'text/plain' },
      // Sooner than the client's request timeout (2 s): a PUT written behind the first one's body
      // would get no answer, its connection's timeout would end it and it would go again on a new one.
      AbortSignal.timeout(1_500),
    );
    expect(second?.ETag).toBe('"e1"');
    expect(connections).toBe(2);
    expect(requests[1]).toMatch(/^PUT \/b\/small HTTP\/1\.1\r\n/);
    s3.destroy();
  });

  test('a refusal is thrown as the SDK throws it; nothing is sent again', async () => {
    const xml = '<Error><Code>BadDigest</Code><Message>The Content-MD5 you specified did not match.</Message></Error>';
    reply = () => head(['HTTP/1.1 400 Bad Request', `Content-Length: ${xml.length}`]) + xml;
    const s3 = client();
    await expect(put(s3, 'one')).rejects.toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
    expect(requests).toHaveLength(1);
    s3.destroy();
  });
});
