import { describe, expect, it } from 'vitest';
import { unsupportedText } from './unsupported-text';

describe('the sentence of an unsupported bucket settings section', () => {
  it("names the service, the feature, what the section becomes and the model's reason", () => {
    expect(unsupportedText('MinIO', 'publicAccessBlock', 'hidden', 'MinIO has no Block Public Access settings.')).toBe(
      'MinIO does not support blocking public access (Block Public Access), so this section is hidden: MinIO has no Block Public Access settings.',
    );
    expect(unsupportedText('Cloudflare R2', 'bucketPolicy', 'read-only', 'R2 has none.')).toBe(
      'Cloudflare R2 does not support bucket policies, so this section is read-only: R2 has none.',
    );
  });

  it('says a generic reason once instead of repeating it', () => {
    expect(
      unsupportedText('This service', 'bucketTagging', 'hidden', 'This service does not support bucket tags.'),
    ).toBe('This service does not support bucket tags, so this section is hidden.');
  });
});
