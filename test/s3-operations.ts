/**
 * Names the S3 operation of a path-style request from its method, path, query and headers,
 * as the S3 API reference defines them (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html).
 * Used by the provider profiles of the test proxy: providers document what they refuse
 * per operation, so rules are written per operation too.
 */
import type { MatchableRequest } from './fault-proxy';

/** The S3 operations the classifier tells apart (path-style addressing only). */
export type S3OperationName =
  | 'ListBuckets'
  | 'CreateBucket'
  | 'DeleteBucket'
  | 'HeadBucket'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'ListObjectVersions'
  | 'ListMultipartUploads'
  | 'GetBucketLocation'
  | 'GetBucketAcl'
  | 'PutBucketAcl'
  | 'GetBucketVersioning'
  | 'PutBucketVersioning'
  | 'GetBucketTagging'
  | 'PutBucketTagging'
  | 'DeleteBucketTagging'
  | 'GetObjectLockConfiguration'
  | 'PutObjectLockConfiguration'
  | 'GetBucketPolicy'
  | 'PutBucketPolicy'
  | 'DeleteBucketPolicy'
  | 'GetBucketPolicyStatus'
  | 'GetBucketCors'
  | 'PutBucketCors'
  | 'DeleteBucketCors'
  | 'GetBucketLifecycleConfiguration'
  | 'PutBucketLifecycleConfiguration'
  | 'DeleteBucketLifecycle'
  | 'GetBucketEncryption'
  | 'PutBucketEncryption'
  | 'DeleteBucketEncryption'
  | 'GetBucketWebsite'
  | 'PutBucketWebsite'
  | 'DeleteBucketWebsite'
  | 'GetBucketLogging'
  | 'PutBucketLogging'
  | 'GetBucketNotificationConfiguration'
  | 'PutBucketNotificationConfiguration'
  | 'GetBucketReplication'
  | 'PutBucketReplication'
  | 'DeleteBucketReplication'
  | 'GetBucketRequestPayment'
  | 'PutBucketRequestPayment'
  | 'GetPublicAccessBlock'
  | 'PutPublicAccessBlock'
  | 'DeletePublicAccessBlock'
  | 'GetBucketAccelerateConfiguration'
  | 'PutBucketAccelerateConfiguration'
  | 'GetBucketOwnershipControls'
  | 'PutBucketOwnershipControls'
  | 'DeleteBucketOwnershipControls'
  | 'BucketAnalyticsConfiguration'
  | 'BucketInventoryConfiguration'
  | 'BucketMetricsConfiguration'
  | 'BucketIntelligentTieringConfiguration'
  | 'DeleteObjects'
  | 'PostObject'
  | 'PutObject'
  | 'CopyObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'GetObjectAcl'
  | 'PutObjectAcl'
  | 'GetObjectTagging'
  | 'PutObjectTagging'
  | 'DeleteObjectTagging'
  | 'GetObjectRetention'
  | 'PutObjectRetention'
  | 'GetObjectLegalHold'
  | 'PutObjectLegalHold'
  | 'GetObjectAttributes'
  | 'GetObjectTorrent'
  | 'RestoreObject'
  | 'SelectObjectContent'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'UploadPartCopy'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'Unknown';

/** A request's operation and the bucket and key it names. */
export interface S3Operation {
  name: S3OperationName;
  bucket?: string;
  key?: string;
}

/** Bucket subresources, per method, in the order checked; the first present in the query wins. */
const BUCKET_SUBRESOURCES: Record<string, readonly (readonly [string, S3OperationName])[]> = {
  GET: [
    ['acl', 'GetBucketAcl'],
    ['versioning', 'GetBucketVersioning'],
    ['tagging', 'GetBucketTagging'],
    ['object-lock', 'GetObjectLockConfiguration'],
    ['policyStatus', 'GetBucketPolicyStatus'],
    ['policy', 'GetBucketPolicy'],
    ['cors', 'GetBucketCors'],
    ['lifecycle', 'GetBucketLifecycleConfiguration'],
    ['encryption', 'GetBucketEncryption'],
    ['website', 'GetBucketWebsite'],
    ['logging', 'GetBucketLogging'],
    ['notification', 'GetBucketNotificationConfiguration'],
    ['replication', 'GetBucketReplication'],
    ['requestPayment', 'GetBucketRequestPayment'],
    ['publicAccessBlock', 'GetPublicAccessBlock'],
    ['accelerate', 'GetBucketAccelerateConfiguration'],
    ['ownershipControls', 'GetBucketOwnershipControls'],
    ['analytics', 'BucketAnalyticsConfiguration'],
    ['inventory', 'BucketInventoryConfiguration'],
    ['metrics', 'BucketMetricsConfiguration'],
    ['intelligent-tiering', 'BucketIntelligentTieringConfiguration'],
    ['location', 'GetBucketLocation'],
    ['uploads', 'ListMultipartUploads'],
    ['versions', 'ListObjectVersions'],
  ],
  PUT: [
    ['acl', 'PutBucketAcl'],
    ['versioning', 'PutBucketVersioning'],
    ['tagging', 'PutBucketTagging'],
    ['object-lock', 'PutObjectLockConfiguration'],
    ['policy', 'PutBucketPolicy'],
    ['cors', 'PutBucketCors'],
    ['lifecycle', 'PutBucketLifecycleConfiguration'],
    ['encryption', 'PutBucketEncryption'],
    ['website', 'PutBucketWebsite'],
    ['logging', 'PutBucketLogging'],
    ['notification', 'PutBucketNotificationConfiguration'],
    ['replication', 'PutBucketReplication'],
    ['requestPayment', 'PutBucketRequestPayment'],
    ['publicAccessBlock', 'PutPublicAccessBlock'],
    ['accelerate', 'PutBucketAccelerateConfiguration'],
    ['ownershipControls', 'PutBucketOwnershipControls'],
    ['analytics', 'BucketAnalyticsConfiguration'],
    ['inventory', 'BucketInventoryConfiguration'],
    ['metrics', 'BucketMetricsConfiguration'],
    ['intelligent-tiering', 'BucketIntelligentTieringConfiguration'],
  ],
  DELETE: [
    ['tagging', 'DeleteBucketTagging'],
    ['policy', 'DeleteBucketPolicy'],
    ['cors', 'DeleteBucketCors'],
    ['lifecycle', 'DeleteBucketLifecycle'],
    ['encryption', 'DeleteBucketEncryption'],
    ['website', 'DeleteBucketWebsite'],
    ['replication', 'DeleteBucketReplication'],
    ['publicAccessBlock', 'DeletePublicAccessBlock'],
    ['ownershipControls', 'DeleteBucketOwnershipControls'],
    ['analytics', 'BucketAnalyticsConfiguration'],
    ['inventory', 'BucketInventoryConfiguration'],
    ['metrics', 'BucketMetricsConfiguration'],
    ['intelligent-tiering', 'BucketIntelligentTieringConfiguration'],
  ],
};

const OBJECT_SUBRESOURCES: Record<string, readonly (readonly [string, S3OperationName])[]> = {
  GET: [
    ['acl', 'GetObjectAcl'],
    ['tagging', 'GetObjectTagging'],
    ['retention', 'GetObjectRetention'],
    ['legal-hold', 'GetObjectLegalHold'],
    ['attributes', 'GetObjectAttributes'],
    ['torrent', 'GetObjectTorrent'],
    ['uploadId', 'ListParts'],
  ],
  PUT: [
    ['acl', 'PutObjectAcl'],
    ['tagging', 'PutObjectTagging'],
    ['retention', 'PutObjectRetention'],
    ['legal-hold', 'PutObjectLegalHold'],
  ],
  DELETE: [
    ['tagging', 'DeleteObjectTagging'],
    ['uploadId', 'AbortMultipartUpload'],
  ],
  POST: [
    ['uploads', 'CreateMultipartUpload'],
    ['uploadId', 'CompleteMultipartUpload'],
    ['restore', 'RestoreObject'],
    ['select', 'SelectObjectContent'],
  ],
};

function firstSubresource(
  table: readonly (readonly [string, S3OperationName])[] | undefined,
  query: URLSearchParams,
): S3OperationName | undefined {
  return table?.find(([param]) => query.has(param))?.[1];
}

/** Classifies a path-style request (`/bucket/key?query`); the path is the percent-decoded one. */
export function classifyS3Request(r: MatchableRequest): S3Operation {
  const method = r.method.toUpperCase();
  const rest = r.path.replace(/^\//, '');
  if (rest === '') return { name: method === 'GET' ? 'ListBuckets' : 'Unknown' };
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);

  if (key === '') {
    const sub = firstSubresource(BUCKET_SUBRESOURCES[method], r.query);
    if (sub) return { name: sub, bucket };
    switch (method) {
      case 'GET':
        return { name: r.query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects', bucket };
      case 'PUT':
        return { name: 'CreateBucket', bucket };
      case 'DELETE':
        return { name: 'DeleteBucket', bucket };
      case 'HEAD':
        return { name: 'HeadBucket', bucket };
      case 'POST':
        return { name: r.query.has('delete') ? 'DeleteObjects' : 'PostObject', bucket };
      default:
        return { name: 'Unknown', bucket };
    }
  }

  const copySource = r.headers['x-amz-copy-source'] !== undefined;
  if (method === 'PUT' && r.query.has('partNumber') && r.query.has('uploadId')) {
    return { name: copySource ? 'UploadPartCopy' : 'UploadPart', bucket, key };
  }
  const sub = firstSubresource(OBJECT_SUBRESOURCES[method], r.query);
  if (sub) return { name: sub, bucket, key };
  switch (method) {
    case 'GET':
      return { name: 'GetObject', bucket, key };
    case 'HEAD':
      return { name: 'HeadObject', bucket, key };
    case 'PUT':
      return { name: copySource ? 'CopyObject' : 'PutObject', bucket, key };
    case 'DELETE':
      return { name: 'DeleteObject', bucket, key };
    default:
      return { name: 'Unknown', bucket, key };
  }
}
