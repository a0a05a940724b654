import { describe, expect, it } from 'vitest';
import { classifyS3Request } from './s3-operations';

/** A path-style request as the proxy records it. */
function request(method: string, target: string, headers: Record<string, string> = {}) {
  const url = new URL(target, 'http://proxy');
  return { method, url: target, path: decodeURIComponent(url.pathname), query: url.searchParams, headers, earlier: 0 };
}

describe('classifyS3Request', () => {
  it.each([
    ['GET', '/', 'ListBuckets'],
    ['PUT', '/b', 'CreateBucket'],
    ['HEAD', '/b', 'HeadBucket'],
    ['GET', '/b?list-type=2&prefix=a%2F', 'ListObjectsV2'],
    ['GET', '/b?prefix=a', 'ListObjects'],
    ['GET', '/b?versions', 'ListObjectVersions'],
    ['GET', '/b?uploads', 'ListMultipartUploads'],
    ['GET', '/b?versioning', 'GetBucketVersioning'],
    ['PUT', '/b?acl', 'PutBucketAcl'],
    ['GET', '/b?policyStatus', 'GetBucketPolicyStatus'],
    ['GET', '/b?policy', 'GetBucketPolicy'],
    ['POST', '/b?delete', 'DeleteObjects'],
    ['POST', '/b', 'PostObject'],
    ['PUT', '/b/k', 'PutObject'],
    ['GET', '/b/dir/a%20b', 'GetObject'],
    ['PUT', '/b/k?acl', 'PutObjectAcl'],
    ['GET', '/b/k?tagging', 'GetObjectTagging'],
    ['DELETE', '/b/k?tagging', 'DeleteObjectTagging'],
    ['POST', '/b/k?uploads', 'CreateMultipartUpload'],
    ['PUT', '/b/k?partNumber=2&uploadId=u', 'UploadPart'],
    ['GET', '/b/k?uploadId=u', 'ListParts'],
    ['POST', '/b/k?uploadId=u', 'CompleteMultipartUpload'],
    ['DELETE', '/b/k?uploadId=u', 'AbortMultipartUpload'],
    ['DELETE', '/b/k', 'DeleteObject'],
  ])('%s %s is %s', (method, target, name) => {
    expect(classifyS3Request(request(method, target)).name).toBe(name);
  });

  it('tells copies from uploads by x-amz-copy-source, and names bucket and key', () => {
    const copy = request('PUT', '/b/dir/k', { 'x-amz-copy-source': '/b/src' });
    const partCopy = request('PUT', '/b/k?partNumber=1&uploadId=u', { 'x-amz-copy-source': '/b/src' });

    expect(classifyS3Request(copy)).toEqual({ name: 'CopyObject', bucket: 'b', key: 'dir/k' });
    expect(classifyS3Request(partCopy).name).toBe('UploadPartCopy');
  });
});
