import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { capabilitiesFromSeed, capabilitySeeds } from '../../../shared/capabilities';
import { compareEtag, compositeSha256, encryptedEtag, sha256 } from './upload-integrity';

describe('upload integrity', () => {
  it('compares ETags only where the MD5 rule is known to hold', () => {
    const aws = capabilitiesFromSeed(capabilitySeeds.aws);
    const other = capabilitiesFromSeed(capabilitySeeds.other);
    expect(compareEtag(aws, 'multipart', 'abc-2', 'abc-2')).toBe('match');
    expect(compareEtag(aws, 'multipart', 'abc-2', 'def-2')).toBe('mismatch');
    // s3rver's multipart ETag is a plain MD5: proof of nothing where the rule is not known.
    expect(compareEtag(other, 'multipart', 'abc', 'def-2')).toBe('not-an-md5');
    expect(compareEtag({ ...other, etag: { singlePart: 'md5', multipart: 'opaque' } }, 'multipart', 'x', 'x')).toBe(
      'not-an-md5',
    );
  });

  it("computes S3's composite SHA-256 (the SHA-256 of the parts' digests, -N)", () => {
    const parts = [Buffer.from('part one'), Buffer.from('part two')];
    const digests = parts.map((part) => sha256(part));
    const expected = `${createHash('sha256').update(Buffer.concat(digests)).digest('base64')}-2`;
    expect(compositeSha256(digests.map((d) => d.toString('base64')))).toBe(expected);
  });

  it('knows which answers name an encryption whose ETag is not an MD5', () => {
    expect(encryptedEtag({ ServerSideEncryption: 'aws:kms' })).toBe(true);
    expect(encryptedEtag({ ServerSideEncryption: 'aws:kms:dsse' })).toBe(true);
    expect(encryptedEtag({ SSECustomerAlgorithm: 'AES256' })).toBe(true);
    expect(encryptedEtag({ ServerSideEncryption: 'AES256' })).toBe(false);
  });
});
