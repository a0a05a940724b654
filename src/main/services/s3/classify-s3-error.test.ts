import { describe, expect, it } from 'vitest';
import { classifyS3Error, describeCertificateProblem } from './classify-s3-error';

/** An error shaped as the AWS SDK throws it for a service error (name from the XML <Code>). */
function serviceError(name: string, message: string, status = 400) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, $fault: 'client' });
}

describe('classifyS3Error', () => {
  it('tells a wrong access key from a wrong secret', () => {
    expect(classifyS3Error(serviceError('InvalidAccessKeyId', 'x', 403))).toMatchObject({
      code: 'invalid-credentials',
      message: expect.stringMatching(/access key ID/),
    });
    expect(classifyS3Error(serviceError('SignatureDoesNotMatch', 'x', 403))).toMatchObject({
      code: 'invalid-credentials',
      message: expect.stringMatching(/secret access key/),
    });
  });

  it('says the clock is off', () => {
    const error = serviceError(
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      403,
    );
    expect(classifyS3Error(error)).toMatchObject({ code: 'clock-skew', message: expect.stringMatching(/clock/) });
  });

  it('names the missing permission where AWS says it', () => {
    const error = serviceError(
      'AccessDenied',
      'User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:ListAllMyBuckets because no identity-based policy allows the s3:ListAllMyBuckets action',
      403,
    );
    expect(classifyS3Error(error)).toEqual({
      code: 'access-denied',
      message: 'The service refused this: the account lacks s3:ListAllMyBuckets.',
    });
    expect(classifyS3Error(serviceError('AccessDenied', 'Access Denied.', 403))?.code).toBe('access-denied');
  });

  it('names the region the service expects', () => {
    const error = serviceError(
      'AuthorizationHeaderMalformed',
      "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'",
    );
    expect(classifyS3Error(error)).toMatchObject({
      code: 'wrong-region',
      message: expect.stringContaining('eu-central-1'),
    });
    expect(classifyS3Error(serviceError('PermanentRedirect', 'moved', 301))?.code).toBe('wrong-region');
  });

  it('maps network and TLS failures from Node', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(classifyS3Error(refused)?.code).toBe('network');
    const expired = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
    expect(classifyS3Error(expired)).toMatchObject({
      code: 'certificate-untrusted',
      message: expect.stringMatching(/expired/),
    });
    const wrapped = Object.assign(new Error('outer'), { cause: refused });
    expect(classifyS3Error(wrapped)?.code).toBe('network');
  });

  it('sends an expired SSO session to aws sso login', () => {
    const error = Object.assign(
      new Error(
        'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
      ),
      { name: 'CredentialsProviderError' },
    );
    expect(classifyS3Error(error)?.code).toBe('credentials-expired');
  });

  it('leaves unknown errors to the caller, so their text (which may hold secrets) is not shown', () => {
    expect(classifyS3Error(new Error('something odd with secret abc123'))).toBeUndefined();
    expect(classifyS3Error('a string')).toBeUndefined();
  });
});

describe('describeCertificateProblem', () => {
  it('puts known verify codes in words and keeps anything else as it is', () => {
    expect(describeCertificateProblem('DEPTH_ZERO_SELF_SIGNED_CERT')).toBe('it is self-signed');
    expect(describeCertificateProblem('CERT_HAS_EXPIRED')).toBe('it has expired');
    expect(describeCertificateProblem('something new')).toBe('something new');
  });
});
