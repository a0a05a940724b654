/**
 * A tiny HTTP server on 127.0.0.1 that records every request it gets (method, URL, headers)
 * and answers as an S3 service would to a request for an SSE-C object sent without its key:
 * 400, with an InvalidRequest body for anything but a HEAD. That makes every path of the app
 * that can add a customer key try to, so a test can check that none ever sent one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the recorder received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A running recorder. */
export interface HeaderRecorder {
  /** http://127.0.0.1:<port> */
  url: string;
  readonly requests: readonly RecordedRequest[];
  stop(): Promise<void>;
}

/** What the recorder answers: a status, headers and a body. */
export interface RecorderAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** S3's answer to a GET of an SSE-C object without its key (a HEAD gets the status alone). */
const customerKeyRequired: RecorderAnswer = {
  status: 400,
  headers: { 'content-type': 'application/xml' },
  body:
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidRequest</Code><Message>The object was stored ' +
    'using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.' +
    '</Message></Error>',
};

/** Starts a recorder; `answer` may choose another answer for some requests. */
export async function startHeaderRecorder(
  answer: (request: RecordedRequest) => RecorderAnswer | undefined = () => undefined,
): Promise<HeaderRecorder> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    requests.push(recorded);
    req.resume();
    req.on('end', () => {
      const reply = answer(recorded) ?? customerKeyRequired;
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(req.method === 'HEAD' ? undefined : reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The requests that carried an SSE-C key (the object's or a copy source's), by any header name case. */
export function requestsWithCustomerKey(requests: readonly RecordedRequest[]): RecordedRequest[] {
  return requests.filter((request) =>
    Object.keys(request.headers).some((name) =>
      /^x-amz-(copy-source-)?server-side-encryption-customer-key$/i.test(name),
    ),
  );
}
