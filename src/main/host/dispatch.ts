import { isRequestChannel, requests } from '../../shared/contract';
import { appError } from '../../shared/errors';
import { fail, ok, type Result } from '../../shared/result';
import { toAppError } from '../services/app-failure';
import type { RequestContext, ServiceHandlers } from '../services/handlers';

/** Formats zod issues as one line a person can act on, naming each field. */
function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const parts = issues.slice(0, 5).map((issue) => {
    const field = issue.path.map(String).join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  return `Invalid input. ${parts.join('; ')}.`;
}

const loneSurrogate = /[\uD800-\uDFFF]/u;

/**
 * The path of the first string (or object key) in `value` that is not well-formed UTF-16: a lone
 * surrogate has no UTF-8 form, so an S3 key, a bucket name or a file name cannot hold one, and
 * the SDK throws a URIError deep inside that would read as "report a bug".
 */
function illFormedText(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return loneSurrogate.test(value) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const field = path === '' ? key : `${path}.${key}`;
    if (loneSurrogate.test(key)) return field;
    const found = illFormedText(item, field);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The one path every request takes, whichever host received it: reject an unknown
 * channel, validate the input against the channel's schema, call the handler, and
 * turn whatever it throws into an error value. Text must be well-formed Unicode in every
 * channel. It never throws itself: a schema's
 * refinement that throws on odd input is an `internal` error too, not a crashed host.
 */
export async function dispatch(
  services: ServiceHandlers,
  channel: unknown,
  rawInput: unknown,
  context: RequestContext,
): Promise<Result<unknown>> {
  if (!isRequestChannel(channel)) {
    // Only a string is quoted back: String() of an object whose toString is not a function throws.
    const name = typeof channel === 'string' ? JSON.stringify(channel).slice(0, 80) : `of type ${typeof channel}`;
    return fail(appError('unknown-channel', `Unknown channel ${name}.`));
  }
  try {
    const parsed = requests[channel].input.safeParse(rawInput);
    if (!parsed.success) return fail(appError('invalid-input', describeIssues(parsed.error.issues)));
    const illFormed = illFormedText(parsed.data, '');
    if (illFormed !== undefined) {
      return fail(
        appError('invalid-input', `Invalid input. ${illFormed || 'The input'}: contains a broken character.`),
      );
    }
    const handler = services.handlers[channel] as (input: unknown, context: RequestContext) => Promise<unknown>;
    return ok(await handler(parsed.data, context));
  } catch (thrown) {
    try {
      return fail(toAppError(thrown, services.classifyError));
    } catch {
      // A classifier that chokes on an odd thrown value.
      return fail(appError('internal'));
    }
  }
}
