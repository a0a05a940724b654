import { describe, expect, it } from 'vitest';
import { capabilitiesFromSeed, capabilitySeeds } from '../../../shared/capabilities';
import { aclChoices, encryptionChoices, isAvailable, storageClassChoices, unavailableHint } from './capability-choices';

const minio = capabilitiesFromSeed(capabilitySeeds.minio);
const r2 = capabilitiesFromSeed(capabilitySeeds.r2);
const aws = capabilitiesFromSeed(capabilitySeeds.aws);
const unknown = capabilitiesFromSeed(capabilitySeeds.other);

describe('ACL choices', () => {
  it('keep only private available where the service keeps no ACLs, and say why once', () => {
    const choices = aclChoices(minio);
    expect(choices.filter((c) => !c.unavailable).map((c) => c.value)).toEqual(['private']);
    expect(choices.find((c) => c.value === 'public-read')?.unavailable).toBe(
      'MinIO keeps no access lists on objects; it grants access with bucket policies.',
    );
    expect(unavailableHint(choices)).toBe(
      'MinIO keeps no access lists on objects; it grants access with bucket policies.',
    );
  });

  it('offer every ACL where the service has them, where support is unknown, and before the model is known', () => {
    for (const model of [aws, unknown, null]) {
      expect(aclChoices(model).every((c) => c.unavailable === undefined)).toBe(true);
      expect(unavailableHint(aclChoices(model))).toBeUndefined();
    }
  });
});

describe('encryption choices', () => {
  it('disable each mode the service lacks, with its own reason', () => {
    const choices = encryptionChoices(r2);
    expect(choices.map((c) => [c.value, c.unavailable !== undefined])).toEqual([
      ['none', false],
      ['SSE-S3', true],
      ['SSE-KMS', true],
      ['SSE-C', false],
    ]);
    expect(unavailableHint(choices)).toBe(
      'Cloudflare R2 encrypts every object at rest itself and does not take the SSE-S3 header. ' +
        'Cloudflare R2 has no managed keys (SSE-KMS).',
    );
    expect(isAvailable(choices, 'SSE-C')).toBe(true);
    expect(isAvailable(choices, 'SSE-KMS')).toBe(false);
  });

  it('offer every mode where the model says nothing against it', () => {
    expect(encryptionChoices(minio).every((c) => !c.unavailable)).toBe(true);
    expect(encryptionChoices(null).every((c) => !c.unavailable)).toBe(true);
  });
});

describe('storage class choices', () => {
  it('list the service’s own classes in the app’s order', () => {
    expect(storageClassChoices(minio).map((c) => c.value)).toEqual(['STANDARD', 'REDUCED_REDUNDANCY']);
    expect(storageClassChoices(r2).map((c) => c.value)).toEqual(['STANDARD', 'STANDARD_IA']);
  });

  it('list every class where the service names none, or before the model is known', () => {
    expect(storageClassChoices(unknown)).toHaveLength(8);
    expect(storageClassChoices(null)).toHaveLength(8);
  });

  it('keep a chosen class the service does not offer, unavailable, with the sentence main would give', () => {
    const choices = storageClassChoices(minio, 'GLACIER');
    expect(choices.map((c) => c.value)).toEqual(['STANDARD', 'REDUCED_REDUNDANCY', 'GLACIER']);
    expect(choices.at(-1)?.unavailable).toBe(
      'This service offers the storage classes STANDARD, REDUCED_REDUNDANCY, not GLACIER.',
    );
    expect(isAvailable(choices, 'GLACIER')).toBe(false);
  });
});
