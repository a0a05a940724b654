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

/**
 * The one path every request takes, whichever host received it: reject an unknown
 * channel, validate the input against the channel's schema, call the handler, and
 * turn whatever it throws into an error value.
 */
export async function dispatch(
  services: ServiceHandlers,
  channel: unknown,
  rawInput: unknown,
  context: RequestContext,
): Promise<Result<unknown>> {
  if (!isRequestChannel(channel)) {
    return fail(appError('unknown-channel', `Unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}.`));
  }
  const parsed = requests[channel].input.safeParse(rawInput);
  if (!parsed.success) return fail(appError('invalid-input', describeIssues(parsed.error.issues)));
  const handler = services.handlers[channel] as (input: unknown, context: RequestContext) => Promise<unknown>;
  try {
    return ok(await handler(parsed.data, context));
  } catch (thrown) {
    return fail(toAppError(thrown, services.classifyError));
  }
}
