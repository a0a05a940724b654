import type { Availability } from '../../../shared/details';
import { classifyS3Error, httpStatusOf } from '../s3/classify-s3-error';

/** How an answer says a feature is missing, or undefined where it says something else. */
type Lack = 'acl-off' | 'not-allowed' | 'not-implemented' | 'not-s3' | 'denied';

/** Reads an error once for every way it can say a feature is missing. */
function lackOf(error: unknown): Lack | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  const status = httpStatusOf(error);
  const code = classifyS3Error(error)?.code;
  if (name === 'AccessControlListNotSupported') return 'acl-off';
  // 405 before 501: MethodNotAllowed is classified not-supported too, but says something narrower.
  if (name === 'MethodNotAllowed' || status === 405) return 'not-allowed';
  if (name === 'NotImplemented' || status === 501 || code === 'not-supported') return 'not-implemented';
  if (code === 'not-s3') return 'not-s3';
  if (code === 'access-denied') return 'denied';
  return undefined;
}

/**
 * True when an answer says the service lacks what was asked (NotImplemented, 501, a 405
 * MethodNotAllowed, bucket-owner-enforced ACLs, or an answer that is not S3's XML), as
 * opposed to a refusal for this account, a missing object or a network fault.
 */
export function serviceLacksFeature(error: unknown): boolean {
  const lack = lackOf(error);
  return lack !== undefined && lack !== 'denied';
}

/**
 * Why a feature is unavailable, from the error its request got: the service lacks it
 * (NotImplemented, 501, 405, an answer that is not XML), or the account may not use it.
 * Undefined for any other error (a network fault, a missing object), which stays an error.
 */
export function unavailableReason(error: unknown, feature: string): string | undefined {
  switch (lackOf(error)) {
    case 'acl-off':
      return 'This bucket has access lists turned off (bucket owner enforced).';
    case 'not-allowed':
      return `This service does not allow ${feature} here.`;
    case 'not-implemented':
      return `This service does not support ${feature}.`;
    case 'not-s3':
      return `This service does not support ${feature} (its answer was not S3's).`;
    case 'denied':
      return `This account may not read ${feature}.`;
    default:
      return undefined;
  }
}

/**
 * Runs a request for an optional feature: its value, or unavailable with the reason where the
 * service lacks the feature. Other errors are thrown.
 */
export async function availability<T>(feature: string, read: () => Promise<T>): Promise<Availability<T>> {
  try {
    return { available: true, value: await read() };
  } catch (error) {
    const reason = unavailableReason(error, feature);
    if (reason === undefined) throw error;
    return { available: false, reason };
  }
}
