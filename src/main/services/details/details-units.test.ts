import type { HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { objectEditSchema } from '../../../shared/details';
import { AppFailure } from '../app-failure';
import { unavailableReason } from '../capabilities/availability';
import { checkEdit, copyInputFor } from './edit-objects';
import { decodeMetadataValue, encodeMetadataValue } from './metadata-encoding';
import { checksumOf, expiresOf, granteeName } from './object-details';
import { totalFromContentRange } from './preview';
import { isCustomerKeyRequired } from './sse-c';

/** An error shaped as the AWS SDK throws it for a service error (name from the XML <Code>). */
function serviceError(name: string, message: string, status: number) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, $fault: 'client' });
}

const head: HeadObjectCommandOutput = {
  $metadata: {},
  ContentType: 'text/plain',
  CacheControl: 'max-age=60',
  ContentDisposition: 'inline',
  ContentEncoding: 'gzip',
  ContentLanguage: 'en',
  ExpiresString: 'Wed, 21 Oct 2037 07:28:00 GMT',
  Metadata: { a: '1', encoded: '=?UTF-8?B?w6k=?=' },
  StorageClass: 'STANDARD_IA',
  WebsiteRedirectLocation: '/elsewhere',
  ChecksumSHA256: 'abc=',
};

describe('copyInputFor', () => {
  it('keeps everything the edit does not change, copies tags, and replaces the metadata directive', () => {
    expect(copyInputFor('b', 'dir/a b.txt', head, { contentType: 'text/html' }, undefined)).toEqual({
      Bucket: 'b',
      Key: 'dir/a b.txt',
      CopySource: 'b/dir/a%20b.txt',
      MetadataDirective: 'REPLACE',
      TaggingDirective: 'COPY',
      Metadata: { a: '1', encoded: '=?UTF-8?B?w6k=?=' },
      ContentType: 'text/html',
      CacheControl: 'max-age=60',
      ContentDisposition: 'inline',
      ContentEncoding: 'gzip',
      ContentLanguage: 'en',
      WebsiteRedirectLocation: '/elsewhere',
      Expires: new Date('2037-10-21T07:28:00Z'),
      StorageClass: 'STANDARD_IA',
      ChecksumAlgorithm: 'SHA256',
    });
  });

  it('removes a header given as empty, replaces metadata (encoding what is not ASCII) and the storage class', () => {
    const input = copyInputFor(
      'b',
      'k',
      head,
      { cacheControl: '', expires: '', metadata: { note: 'Noël' }, storageClass: 'GLACIER_IR' },
      undefined,
    );
    expect(input.CacheControl).toBeUndefined();
    expect('CacheControl' in input).toBe(false);
    expect(input.Expires).toBeUndefined();
    expect(input.Metadata).toEqual({ note: '=?UTF-8?B?Tm/Dq2w=?=' });
    expect(input.StorageClass).toBe('GLACIER_IR');
    expect(input.ContentType).toBe('text/plain');
  });

  it('asks for SSE-S3 and SSE-KMS again, and sends an SSE-C key for both source and copy', () => {
    expect(copyInputFor('b', 'k', { $metadata: {}, ServerSideEncryption: 'AES256' }, {}, undefined)).toMatchObject({
      ServerSideEncryption: 'AES256',
    });
    const kms = copyInputFor(
      'b',
      'k',
      { $metadata: {}, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:key', BucketKeyEnabled: true },
      {},
      undefined,
    );
    expect(kms).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:key', BucketKeyEnabled: true });
    const key = Buffer.alloc(32, 7);
    const ssec = copyInputFor('b', 'k', { $metadata: {}, SSECustomerAlgorithm: 'AES256' }, {}, key);
    expect(ssec).toMatchObject({
      SSECustomerAlgorithm: 'AES256',
      SSECustomerKey: key.toString('base64'),
      CopySourceSSECustomerAlgorithm: 'AES256',
      CopySourceSSECustomerKey: key.toString('base64'),
    });
    expect(ssec.ServerSideEncryption).toBeUndefined();
  });

  it('keeps object lock settings', () => {
    const until = new Date('2030-01-01T00:00:00Z');
    expect(
      copyInputFor(
        'b',
        'k',
        {
          $metadata: {},
          ObjectLockMode: 'GOVERNANCE',
          ObjectLockRetainUntilDate: until,
          ObjectLockLegalHoldStatus: 'ON',
        },
        {},
        undefined,
      ),
    ).toMatchObject({
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: until,
      ObjectLockLegalHoldStatus: 'ON',
    });
  });
});

describe('checking an edit', () => {
  it('refuses header values that are not printable ASCII, and an Expires that is not a date', () => {
    expect(() => checkEdit({ contentDisposition: 'attachment; filename="résumé.pdf"' })).toThrow(AppFailure);
    expect(() => checkEdit({ cacheControl: 'a\r\nX-Injected: 1' })).toThrow(/Cache-Control may contain only/);
    expect(() => checkEdit({ expires: 'soon' })).toThrow(/Expires must be a date/);
    expect(() =>
      checkEdit({ contentType: 'text/plain', expires: '2030-01-01T00:00:00Z', metadata: { a: 'é' } }),
    ).not.toThrow();
  });

  it('names a bad metadata key in the schema’s own words', () => {
    const result = objectEditSchema.safeParse({ metadata: { 'two words': 'x', fine: 'y' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['metadata', 'two words'],
        message: 'A metadata key may contain only ASCII letters, digits and - _ . (no spaces or accents).',
      }),
    ]);
    expect(objectEditSchema.safeParse({ metadata: { 'x-y.z_1': 'ok' } }).success).toBe(true);
    expect(objectEditSchema.safeParse({ metadata: { a: 'x'.repeat(2048) } }).success).toBe(false);
  });
});

describe('metadata values', () => {
  it('sends ASCII as it is and anything else as an RFC 2047 word, and reads both back', () => {
    expect(encodeMetadataValue('plain value')).toBe('plain value');
    expect(encodeMetadataValue('Zoë')).toBe('=?UTF-8?B?Wm/Dqw==?=');
    for (const text of ['Zoë', '東京', 'a\nb', 'plain'])
      expect(decodeMetadataValue(encodeMetadataValue(text))).toBe(text);
    expect(decodeMetadataValue('=?utf-8?q?caf=C3=A9_au_lait?=')).toBe('café au lait');
    expect(decodeMetadataValue('no words here')).toBe('no words here');
  });
});

describe('object details helpers', () => {
  it('reads the checksum S3 reports, and none where there is none', () => {
    expect(checksumOf({ $metadata: {}, ChecksumCRC32C: 'x==' })).toEqual({ algorithm: 'CRC32C', value: 'x==' });
    expect(checksumOf({ $metadata: {} })).toBeNull();
  });

  it('reads Expires as a date, keeping a value that is not one', () => {
    expect(expiresOf({ $metadata: {}, ExpiresString: 'Wed, 21 Oct 2037 07:28:00 GMT' })).toBe(
      '2037-10-21T07:28:00.000Z',
    );
    expect(expiresOf({ $metadata: {}, ExpiresString: 'never' })).toBe('never');
    expect(expiresOf({ $metadata: {} })).toBeNull();
  });

  it('names grantees in words', () => {
    expect(
      granteeName({ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' } }, 'o'),
    ).toBe('Everyone (public)');
    expect(granteeName({ Grantee: { Type: 'CanonicalUser', ID: 'o' } }, 'o')).toBe('Owner');
    expect(granteeName({ Grantee: { Type: 'CanonicalUser', ID: 'x', DisplayName: 'alice' } }, 'o')).toBe('alice');
    expect(granteeName({ Grantee: { Type: 'CanonicalUser', ID: 'x' } }, 'o')).toBe('x');
  });

  it('reads the total of a Content-Range', () => {
    expect(totalFromContentRange('bytes 0-99/1234')).toBe(1234);
    expect(totalFromContentRange('bytes 0-99/*')).toBeUndefined();
    expect(totalFromContentRange(undefined)).toBeUndefined();
  });
});

describe('unavailable features', () => {
  it('tells a missing feature from other errors', () => {
    expect(unavailableReason(serviceError('NotImplemented', 'x', 501), 'object tags')).toBe(
      'This service does not support object tags.',
    );
    expect(unavailableReason(serviceError('UnknownError', 'x', 501), 'ACLs')).toBe(
      'This service does not support ACLs.',
    );
    expect(unavailableReason(serviceError('MethodNotAllowed', 'x', 405), 'versioning')).toBe(
      'This service does not allow versioning here.',
    );
    expect(unavailableReason(serviceError('AccessDenied', 'Access Denied.', 403), 'object tags')).toBe(
      'This account may not read object tags.',
    );
    const html = Object.assign(new Error("Deserialization error: char '<' is not expected"), {
      $metadata: { httpStatusCode: 200 },
    });
    expect(unavailableReason(html, 'versioning')).toBe(
      "This service does not support versioning (its answer was not S3's).",
    );
    expect(unavailableReason(serviceError('NoSuchKey', 'x', 404), 'tags')).toBeUndefined();
    expect(unavailableReason(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'tags')).toBeUndefined();
  });

  it('knows the 400 an SSE-C object gives without its key from a bad argument', () => {
    expect(isCustomerKeyRequired(serviceError('BadRequest', '', 400))).toBe(true);
    expect(isCustomerKeyRequired(serviceError('InvalidRequest', 'Server Side Encryption', 400))).toBe(true);
    expect(isCustomerKeyRequired(serviceError('InvalidArgument', 'bad version', 400))).toBe(false);
    expect(isCustomerKeyRequired(serviceError('AccessDenied', '', 403))).toBe(false);
  });
});
