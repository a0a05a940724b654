import type { S3Client, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-s3';
import type { BuildMiddleware } from '@smithy/types';
import { AppFailure } from '../app-failure';

/** The request headers that carry an SSE-C key (the object's, and a copy's source's). */
const customerKeyHeader = /^x-amz-(copy-source-)?server-side-encryption-customer-key$/i;

/** What a person reads when an SSE-C key would go to an endpoint without TLS. */
export function customerKeyOverHttpMessage(endpoint: string): string {
  return (
    `SSE-C keys are sent only over HTTPS: this account's endpoint is ${endpoint}. ` +
    'Change the endpoint to https://, or choose another encryption (S3 itself refuses customer keys without TLS).'
  );
}

/** Whether a request's headers or query carry a customer key. */
function carriesCustomerKey(request: { headers?: Record<string, unknown>; query?: Record<string, unknown> }): boolean {
  return [request.headers, request.query].some(
    (fields) => fields !== undefined && Object.keys(fields).some((name) => customerKeyHeader.test(name)),
  );
}

/**
 * Makes a client refuse, with a clear `not-supported`, any request that would carry an SSE-C
 * key over plain http: the key is the only thing that protects the object, and over http
 * anyone on the path reads it. AWS refuses SSE-C without TLS (after the key has been sent);
 * this refuses before the request leaves. It sits on the client, below every path that adds
 * the key (uploads, downloads, copies, edits, previews, HEAD retries), so a new path cannot
 * forget it; it runs last in the build step, when every header is set.
 */
export function refuseCustomerKeysOverHttp(client: S3Client): S3Client {
  const middleware: BuildMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
    const request = args.request as
      | {
          protocol?: string;
          hostname?: string;
          port?: number;
          headers?: Record<string, unknown>;
          query?: Record<string, unknown>;
        }
      | undefined;
    if (request && (request.protocol ?? '').replace(/:$/, '').toLowerCase() === 'http' && carriesCustomerKey(request)) {
      const endpoint = `http://${request.hostname ?? ''}${request.port ? `:${request.port}` : ''}`;
      throw new AppFailure('not-supported', customerKeyOverHttpMessage(endpoint));
    }
    return next(args);
  };
  client.middlewareStack.add(middleware, { step: 'build', priority: 'low', name: 's3fmRefuseCustomerKeysOverHttp' });
  return client;
}
