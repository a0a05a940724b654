import { describe, expect, it } from 'vitest';
import { capabilitiesFromSeed, capabilitySeeds } from '../../../shared/capabilities';
import { newRow } from '../../components/key-value-rows';
import {
  defaultUploadOptions,
  settingsFrom,
  uploadOptionProblems,
  uploadOptionsFrom,
  uploadOptionsUnavailable,
} from './upload-options';

describe('upload options from the form', () => {
  it('are private with nothing else by default', () => {
    expect(uploadOptionsFrom(defaultUploadOptions)).toEqual({
      ok: true,
      options: { acl: 'private', metadata: {}, encryption: { mode: 'none' } },
    });
  });

  it('carry every field the person set, blank metadata rows left out', () => {
    const result = uploadOptionsFrom({
      storageClass: 'STANDARD_IA',
      acl: 'public-read',
      contentType: ' text/plain ',
      metadata: [newRow('team', 'blue'), newRow('', '')],
      encryption: 'SSE-KMS',
      kmsKeyId: 'alias/photos',
    });
    expect(result).toEqual({
      ok: true,
      options: {
        storageClass: 'STANDARD_IA',
        acl: 'public-read',
        contentType: 'text/plain',
        metadata: { team: 'blue' },
        encryption: { mode: 'SSE-KMS', kmsKeyId: 'alias/photos' },
      },
    });
  });

  it('refuses metadata keys S3 cannot carry, and a key given twice', () => {
    const spaced = uploadOptionsFrom({ ...defaultUploadOptions, metadata: [newRow('my key', 'x')] });
    expect(spaced).toEqual({ ok: false, errors: { metadata: expect.stringMatching(/no spaces/) } });
    const twice = uploadOptionsFrom({
      ...defaultUploadOptions,
      metadata: [newRow('Team', 'a'), newRow('team', 'b')],
    });
    expect(twice).toEqual({ ok: false, errors: { metadata: 'The metadata key “team” is given twice.' } });
    const big = uploadOptionsFrom({ ...defaultUploadOptions, metadata: [newRow('k', 'v'.repeat(2048))] });
    expect(big.ok).toBe(false);
  });
});

describe('upload options a service cannot honour', () => {
  const minio = capabilitiesFromSeed(capabilitySeeds.minio);
  const r2 = capabilitiesFromSeed(capabilitySeeds.r2);

  it('are none for the defaults, and none before the model is known', () => {
    expect(uploadOptionProblems(minio, defaultUploadOptions)).toEqual({});
    expect(uploadOptionProblems(null, { ...defaultUploadOptions, acl: 'public-read' })).toEqual({});
  });

  it('name each field the service cannot take, in the words main refuses it with', () => {
    const problems = uploadOptionProblems(r2, {
      ...defaultUploadOptions,
      acl: 'public-read',
      storageClass: 'GLACIER',
      encryption: 'SSE-KMS',
    });
    expect(problems).toEqual({
      acl: 'Cloudflare R2 keeps no access lists; it shares buckets through public access. Choose "private" access.',
      storageClass: 'This service offers the storage classes STANDARD, STANDARD_IA, not GLACIER.',
      encryption: 'Cloudflare R2 has no managed keys (SSE-KMS). Choose another encryption.',
    });
    expect(uploadOptionProblems(r2, { ...defaultUploadOptions, encryption: 'SSE-C' })).toEqual({});
  });

  it('are checked once more, as main checks them, before anything is queued', () => {
    const checked = uploadOptionsFrom({ ...defaultUploadOptions, acl: 'public-read' });
    if (!checked.ok) throw new Error('the options should be valid');
    expect(uploadOptionsUnavailable(minio, checked.options)).toBe(
      'MinIO keeps no access lists on objects; it grants access with bucket policies. Choose "private" access.',
    );
    expect(uploadOptionsUnavailable(null, checked.options)).toBeUndefined();
    expect(uploadOptionsUnavailable(minio, { acl: 'private', metadata: {}, encryption: { mode: 'none' } })).toBe(
      undefined,
    );
  });
});

describe('transfer settings from the form', () => {
  const valid = {
    multipartThresholdMiB: '16',
    partSizeMiB: '8',
    partsInParallel: '4',
    filesInParallel: '3',
    maxRetries: '5',
  };

  it('become numbers when every field is valid', () => {
    expect(settingsFrom(valid)).toEqual({
      ok: true,
      settings: { multipartThresholdMiB: 16, partSizeMiB: 8, partsInParallel: 4, filesInParallel: 3, maxRetries: 5 },
    });
  });

  it('say what is wrong with each field', () => {
    const result = settingsFrom({
      ...valid,
      partSizeMiB: '4',
      partsInParallel: 'lots',
      maxRetries: '',
      filesInParallel: '99',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        partSizeMiB: 'S3 parts are at least 5 MiB.',
        partsInParallel: 'Enter a whole number.',
        maxRetries: 'Enter a whole number.',
        filesInParallel: 'Enter at most 16.',
      },
    });
    expect(settingsFrom({ ...valid, partsInParallel: '2.5' })).toMatchObject({
      ok: false,
      errors: { partsInParallel: expect.any(String) },
    });
  });
});
