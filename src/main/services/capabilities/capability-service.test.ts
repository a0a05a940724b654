import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { ProviderId } from '../../../shared/accounts';
import { whyOptionsUnavailable } from '../../../shared/capabilities';
import { createCapabilityService } from './capability-service';

/** An S3 error as the SDK throws it. */
function s3Error(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

/** A capability service over a fake account, counting probes and change announcements. */
function serviceFor(
  provider: ProviderId,
  findings: Record<string, { support: 'yes' } | { support: 'no'; reason: string }>,
) {
  const changes: (string | null)[] = [];
  let probes = 0;
  const client = new S3Client({ region: 'us-east-1' });
  const service = createCapabilityService({
    identityOf: async () => ({ provider, endpoint: 'http://127.0.0.1:1' }),
    clientForBucket: async () => client,
    presignerForBucket: async () => client,
    changed: (_accountId, bucket) => changes.push(bucket),
    probe: async (_client, _presigner, _bucket, wanted) => {
      probes += 1;
      return Object.fromEntries(wanted.filter((id) => findings[id]).map((id) => [id, findings[id]]));
    },
  });
  return { service, changes, probes: () => probes };
}

describe('the capability model', () => {
  it('starts from the preset and probes only what the preset leaves open, once per bucket', async () => {
    const { service, probes } = serviceFor('other', { versioning: { support: 'no', reason: 'No versions here.' } });
    const model = await service.forBucket('a', 'b');
    expect(model.features.versioning).toEqual({ support: 'no', reason: 'No versions here.', source: 'probe' });
    expect(model.features.sseKms.support).toBe('unknown');
    await service.forBucket('a', 'b');
    expect(probes()).toBe(1);

    const r2 = serviceFor('r2', {});
    const r2Model = await r2.service.forBucket('a', 'b');
    expect(r2Model.features.postPolicy).toMatchObject({ support: 'no', source: 'preset' });
    expect(r2Model.storageClasses).toEqual(['STANDARD', 'STANDARD_IA']);
  });

  it('learns from a NotImplemented answer for the whole service, and from bucket-owner-enforced ACLs for one bucket', async () => {
    const { service, changes } = serviceFor('other', {});
    expect(await service.lacks('a', 'b', 'tagging', s3Error('AccessDenied', 403))).toBeUndefined();
    expect(await service.lacks('a', 'b', 'tagging', s3Error('NotImplemented', 501))).toMatch(
      /does not support object tags/,
    );
    expect((await service.forBucket('a', 'other-bucket')).features.tagging.support).toBe('no');
    expect(changes).toEqual([null]);

    await service.lacks('a', 'b', 'acl', s3Error('AccessControlListNotSupported', 400));
    expect((await service.forBucket('a', 'b')).features.acl).toMatchObject({ support: 'no', source: 'service' });
    expect((await service.forBucket('a', 'c')).features.acl.support).toBe('unknown');
  });

  it("says whether one feature works in a bucket as the bucket's model does, for every feature", async () => {
    const { service } = serviceFor('other', {
      versioning: { support: 'no', reason: 'No versions here.' },
    });
    await service.lacks('a', null, 'tagging', s3Error('NotImplemented', 501));
    await service.lacks('a', 'b', 'acl', s3Error('AccessControlListNotSupported', 400));
    for (const bucket of ['b', 'c']) {
      const model = await service.forBucket('a', bucket);
      for (const [id, feature] of Object.entries(model.features)) {
        expect(await service.supports('a', bucket, id as keyof typeof model.features), `${bucket} ${id}`).toBe(
          feature.support === 'yes',
        );
      }
    }
    // A generic service's checksums are not known to work (no probe asks): not asked for.
    expect(await service.supports('a', 'b', 'checksums')).toBe(false);
    expect(await service.supports('a', 'b', 'versioning')).toBe(false);
    expect(await service.supports('a', 'b', 'tagging')).toBe(false);
    expect(await service.supports('a', 'b', 'acl')).toBe(false);
    expect(await service.supports('a', 'b', 'sseKms')).toBe(false);
    const minio = serviceFor('minio', {});
    expect(await minio.service.supports('a', 'b', 'checksums')).toBe(true);
    const b2 = serviceFor('b2', {});
    expect(await b2.service.supports('a', 'b', 'checksums')).toBe(false);
  });

  it('hands out copies: a caller that changes one changes nothing for the next', async () => {
    const { service } = serviceFor('minio', {});
    const first = await service.forBucket('a', 'b');
    const pristine = JSON.stringify(first);
    first.features.checksums.support = 'no';
    first.etag.singlePart = 'opaque';
    first.storageClasses.push('MADE-UP');
    first.maxSingleCopyBytes = 1;
    expect(JSON.stringify(await service.forBucket('a', 'b'))).toBe(pristine);
    const account = await service.forAccount('a');
    account.features.checksums.support = 'no';
    expect((await service.forAccount('a')).features.checksums.support).toBe('yes');
  });

  it('learns ETag rules from uploads, and options are checked against the model', async () => {
    const { service } = serviceFor('other', {});
    await service.learnEtag('a', { multipart: 'opaque' });
    const model = await service.forBucket('a', 'b');
    expect(model.etag).toEqual({ singlePart: 'unknown', multipart: 'opaque' });
    await service.learnMissing('a', null, 'sseS3', 'This service ignores SSE-S3.');
    const after = await service.forBucket('a', 'b');
    expect(whyOptionsUnavailable(after, { encryption: { mode: 'SSE-S3' } })).toMatch(
      /ignores SSE-S3.*another encryption/,
    );
    expect(whyOptionsUnavailable(after, { encryption: { mode: 'none' }, acl: 'private' })).toBeUndefined();

    const minio = await serviceFor('minio', {}).service.forBucket('a', 'b');
    expect(whyOptionsUnavailable(minio, { acl: 'public-read' })).toMatch(/MinIO keeps no access lists/);
    expect(whyOptionsUnavailable(minio, { storageClass: 'GLACIER' })).toMatch(/STANDARD, REDUCED_REDUNDANCY/);
  });
});
