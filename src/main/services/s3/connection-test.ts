import { HeadBucketCommand, ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AccountSettings, ConnectionTestReport } from '../../../shared/accounts';
import { AppFailure } from '../app-failure';
import { classifyS3Error } from './classify-s3-error';

/** The raw HTTP answer of the last request a client sent: its status and content type. */
interface RawAnswer {
  status: number;
  contentType: string;
}

/** Records the raw status and content type of each answer, to tell an S3 service from any web server. */
function recordRawAnswers(client: S3Client): { last(): RawAnswer | undefined } {
  let last: RawAnswer | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        const result = await next(args);
        const response = result.response as { statusCode?: number; headers?: Record<string, string> };
        last = { status: response.statusCode ?? 0, contentType: response.headers?.['content-type'] ?? '' };
        return result;
      } catch (error) {
        const response = (error as { $response?: { statusCode?: number; headers?: Record<string, string> } }).$response;
        if (response)
          last = { status: response.statusCode ?? 0, contentType: response.headers?.['content-type'] ?? '' };
        throw error;
      }
    },
    { step: 'deserialize', name: 'recordRawAnswer' },
  );
  return { last: () => last };
}

/** Tells whether an answer can be S3's: XML, or (some servers) no content type at all. */
function looksLikeS3(answer: RawAnswer | undefined): boolean {
  if (!answer) return true;
  return answer.contentType === '' || /xml/i.test(answer.contentType);
}

/** Turns what the SDK threw during a test into an AppFailure, noticing answers that are not S3's. */
function failureFrom(error: unknown, answer: RawAnswer | undefined): AppFailure {
  if (!looksLikeS3(answer)) {
    return new AppFailure(
      'not-s3',
      `Something answered at that address (HTTP ${answer?.status}, ${answer?.contentType}), but not an S3 service. Check the endpoint URL and its port.`,
    );
  }
  const classified = classifyS3Error(error);
  if (classified) return new AppFailure(classified.code, classified.message, { cause: error });
  return new AppFailure('internal', undefined, { cause: error });
}

/**
 * Tests an account before it is saved: ListBuckets, or, where listing buckets is not
 * allowed and the account has a root bucket, HeadBucket on that bucket. The client must be
 * new (a middleware is added to it). Errors come back as AppFailures that say what to do.
 */
export async function testConnection(
  client: S3Client,
  settings: Pick<AccountSettings, 'rootBucket'>,
): Promise<ConnectionTestReport> {
  const raw = recordRawAnswers(client);
  // Resolve the credentials first: a missing profile or an expired SSO token says so here.
  const credentials = await client.config.credentials().catch((error: unknown) => {
    throw failureFrom(error, undefined);
  });
  const credentialsExpireAt = credentials.expiration?.toISOString() ?? null;
  try {
    const output = await client.send(new ListBucketsCommand({}));
    if (!looksLikeS3(raw.last())) throw new Error('not S3');
    return { method: 'ListBuckets', bucketCount: output.Buckets?.length ?? 0, region: null, credentialsExpireAt };
  } catch (error) {
    const failure = failureFrom(error, raw.last());
    if (failure.code !== 'access-denied' || settings.rootBucket === '') {
      if (failure.code === 'access-denied') {
        throw new AppFailure(
          'access-denied',
          'These credentials may not list buckets (s3:ListAllMyBuckets). Ask for that permission, or set the root bucket this account should open.',
        );
      }
      throw failure;
    }
  }
  try {
    const output = await client.send(new HeadBucketCommand({ Bucket: settings.rootBucket }));
    return { method: 'HeadBucket', bucketCount: null, region: output.BucketRegion ?? null, credentialsExpireAt };
  } catch (error) {
    const failure = failureFrom(error, raw.last());
    if (failure.code === 'no-such-key') {
      throw new AppFailure(
        'no-such-bucket',
        `The root bucket ${settings.rootBucket} does not exist, or is not visible to these credentials.`,
      );
    }
    if (failure.code === 'access-denied') {
      throw new AppFailure(
        'access-denied',
        `These credentials may not open the bucket ${settings.rootBucket} (s3:ListBucket).`,
      );
    }
    throw failure;
  }
}
