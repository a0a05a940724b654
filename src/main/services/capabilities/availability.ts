import type { Availability } from '../../../shared/details';
import { classifyS3Error, httpStatusOf } from '../s3/classify-s3-error';

/**
 * True when an answer says the service lacks what was asked (NotImplemented, 501, a 405
 * MethodNotAllowed, or an answer that is not S3's XML), as opposed to a refusal for this
 * account, a missing object or a network fault.
 */
export function serviceLacksFeature(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  const status = httpStatusOf(error);
  const code = classifyS3Error(error)?.code;
  return (
    name === 'NotImplemented' ||
    name === 'MethodNotAllowed' ||
    name === 'AccessControlListNotSupported' ||
    status === 501 ||
    status === 405 ||
    code === 'not-supported' ||
    code === 'not-s3'
  );
}

/**
 * Why a feature is unavailable, from the error its request got: the service lacks it
 * (NotImplemented, 501, 405, an answer that is not XML), or the account may not use it.
 * Undefined for any other error (a network fault, a missing object), which stays an error.
 */
export function unavailableReason(error: unknown, feature: string): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  const status = httpStatusOf(error);
  const code = classifyS3Error(error)?.code;
  if (name === 'AccessControlListNotSupported')
    return 'This bucket has access lists turned off (bucket owner enforced).';
  // 405 first: MethodNotAllowed is classified not-supported too, but says something narrower.
  if (name === 'MethodNotAllowed' || status === 405) return `This service does not allow ${feature} here.`;
  if (name === 'NotImplemented' || status === 501 || code === 'not-supported') {
    return `This service does not support ${feature}.`;
  }
  if (code === 'not-s3') return `This service does not support ${feature} (its answer was not S3's).`;
  if (code === 'access-denied') return `This account may not read ${feature}.`;
  return undefined;
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
