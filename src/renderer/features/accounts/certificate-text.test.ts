import { describe, expect, it } from 'vitest';
import { describeCertificateProblem } from './certificate-text';

describe('describeCertificateProblem', () => {
  it('puts known verify codes in words and keeps anything else as it is', () => {
    expect(describeCertificateProblem('DEPTH_ZERO_SELF_SIGNED_CERT')).toBe('it is self-signed');
    expect(describeCertificateProblem('CERT_HAS_EXPIRED')).toBe('it has expired');
    expect(describeCertificateProblem('something new')).toBe('something new');
  });
});
