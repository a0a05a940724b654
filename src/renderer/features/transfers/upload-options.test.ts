import { describe, expect, it } from 'vitest';
import { newRow } from '../../components/key-value-rows';
import { defaultUploadOptions, settingsFrom, uploadOptionsFrom } from './upload-options';

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
