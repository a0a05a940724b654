import { randomUUID } from 'node:crypto';
import type { ActivityEntry, ActivityResult } from '../../../shared/activity';
import type { ParsedInput, RequestChannel, RequestOutput } from '../../../shared/contract';
import type { EditSession } from '../../../shared/edit-contract';
import type { AppError } from '../../../shared/errors';
import type { OperationOutcome } from '../../../shared/operations';
import type { TransferBatchOutcome } from '../../../shared/transfers';
import { toAppError } from '../app-failure';
import type { EventBus } from '../event-bus';
import type { Handlers, RequestContext } from '../handlers';
import { processSecrets, redactValue, type SecretRegistry } from '../logging/redaction';
import { activityRules, type ActivityDescription, type ActivityRule } from './activity-rules';
import type { ActivityStore } from './activity-store';
import { shortName } from './activity-words';

/** How many ends of operations the recorder keeps while their request's entry is still being made. */
const MAX_EARLY_ENDS = 200;

/** What the recorder is built from. */
export interface ActivityRecorderDependencies {
  store: ActivityStore;
  bus: EventBus;
  /** Every account's id and name, for entries' account names (read once, then kept from `accounts.changed`). */
  accountNames: () => Promise<{ id: string; name: string }[]>;
  /** Turns a library error into words, as the hosts do (classifyS3Error). */
  classify: (thrown: unknown) => AppError | undefined;
  now?: () => Date;
  /** Masked in every entry as a last guard (the process's registry by default). */
  secrets?: SecretRegistry;
  /** The rules; tests pass others. */
  rules?: { [C in RequestChannel]: ActivityRule<C> };
}

/** Records every change the app makes: wraps the handlers once, so no channel can be forgotten. */
export interface ActivityRecorder {
  /** The same handlers, each change recorded with its result (see activityRules). */
  wrap(handlers: Handlers): Handlers;
  /** Stops listening to the bus. */
  dispose(): void;
}

/** A long operation's or transfer batch's end, in the log's words. */
interface End {
  result: ActivityResult;
  text: string;
  at: string;
}

function operationEnd(outcome: OperationOutcome, at: string): End {
  const result = outcome.state === 'finished' ? 'ok' : outcome.state === 'cancelled' ? 'cancelled' : 'failed';
  return { result, text: outcome.summary, at };
}

function batchEnd(outcome: TransferBatchOutcome, at: string): End {
  const result = outcome.failed > 0 ? 'failed' : outcome.cancelled > 0 && outcome.finished === 0 ? 'cancelled' : 'ok';
  return { result, text: outcome.summary, at };
}

/** The id a long operation or a transfer batch answers with, whose end comes later as an event. */
function laterEndOf(output: unknown): string | undefined {
  if (typeof output !== 'object' || output === null) return undefined;
  const { operationId, batchId } = output as { operationId?: unknown; batchId?: unknown };
  if (typeof operationId === 'string') return operationId;
  if (typeof batchId === 'string') return batchId;
  return undefined;
}

/**
 * The activity recorder (issue #15). It wraps every handler in one place (createServices), so a
 * channel is recorded by what `activityRules` says of it, never by a call someone remembered to
 * add: an entry for every call of a changing channel, with when, which account, what (the rule's
 * words, picked from the input: never the input itself) and the result (the error's words when
 * it fails). A call that starts a long operation or a transfer batch is recorded as running, and
 * its entry is updated from `operations.finished` or `transfers.batchFinished` with the real end
 * ("Deleted 12 of 13 items …"), also when that end comes after a restart.
 */
export function createActivityRecorder(deps: ActivityRecorderDependencies): ActivityRecorder {
  const now = deps.now ?? (() => new Date());
  const secrets = deps.secrets ?? processSecrets;
  const rules = deps.rules ?? activityRules;
  let names: Map<string, string> | undefined;
  /** Entries still running, by the operation or batch id their end will name. */
  const running = new Map<string, ActivityEntry>();
  /** Ends that came before their request's entry was made (an operation that failed at once). */
  const earlyEnds = new Map<string, End>();

  async function accountName(accountId: string | null): Promise<string | null> {
    if (accountId === null) return null;
    if (!names) {
      try {
        names = new Map((await deps.accountNames()).map((account) => [account.id, account.name]));
      } catch {
        return null;
      }
    }
    return names.get(accountId) ?? null;
  }

  /** Writes an entry, masked once more as a last guard, and tells open panels. */
  function save(entry: ActivityEntry): void {
    const masked = redactValue(entry, secrets) as ActivityEntry;
    void deps.store.put(masked).then(async () => {
      deps.bus.emit('activity.changed', { total: (await deps.store.all()).length });
    });
  }

  function finish(entry: ActivityEntry, end: End): void {
    save({ ...entry, result: end.result, resultText: end.text, endedAt: end.at });
  }

  /** An operation or batch ended: its entry takes the real result. */
  function ended(ref: string, end: End): void {
    const entry = running.get(ref);
    if (entry) {
      running.delete(ref);
      finish(entry, end);
      return;
    }
    earlyEnds.set(ref, end);
    if (earlyEnds.size > MAX_EARLY_ENDS) earlyEnds.delete(earlyEnds.keys().next().value ?? '');
    // A batch journaled before a restart ends after it: its entry is on disk, still running.
    void deps.store.all().then((entries) => {
      const stored = entries.findLast((candidate) => candidate.ref === ref && candidate.result === 'running');
      if (stored && earlyEnds.get(ref) === end) {
        earlyEnds.delete(ref);
        finish(stored, end);
      }
    });
  }

  const unsubscribe = deps.bus.onAny((channel, payload) => {
    const at = now().toISOString();
    if (channel === 'operations.finished') {
      const outcome = payload as OperationOutcome;
      ended(outcome.operationId, operationEnd(outcome, at));
    } else if (channel === 'transfers.batchFinished') {
      const outcome = payload as TransferBatchOutcome;
      ended(outcome.batchId, batchEnd(outcome, at));
    } else if (channel === 'edit.changed') {
      savedByWatcher(payload as { session: EditSession; ended: boolean }, at);
    } else if (channel === 'accounts.changed') {
      const { accounts } = payload as { accounts: { id: string; name: string }[] };
      names = new Map([...(names ?? []), ...accounts.map((account): [string, string] => [account.id, account.name])]);
    }
  });

  /**
   * A save the desktop app's editing session uploaded (or refused: the file changed on the server)
   * came from the person's own app, not from a request, so no handler records it: it is recorded
   * here, from the session's event, once per upload or refusal.
   */
  function savedByWatcher({ session, ended: over }: { session: EditSession; ended: boolean }, at: string): void {
    if (over || session.mode !== 'desktop' || (session.state !== 'uploaded' && session.state !== 'conflict')) return;
    const description: ActivityDescription = {
      kind: 'edit',
      accountId: session.accountId,
      bucket: session.bucket,
      what: `Upload a save of ${shortName(session.key)} to ${session.bucket}`,
    };
    const stored = session.state === 'uploaded';
    void accountName(session.accountId).then((name) =>
      save(
        entryOf(
          'edit.open',
          description,
          at,
          name,
          stored ? 'ok' : 'failed',
          stored ? 'Done.' : (session.message ?? 'Not uploaded: the file changed on the server.'),
        ),
      ),
    );
  }

  function entryOf(
    channel: RequestChannel,
    description: ActivityDescription,
    at: string,
    name: string | null,
    result: ActivityResult,
    resultText: string,
  ): ActivityEntry {
    return {
      id: randomUUID(),
      at,
      accountId: description.accountId,
      accountName: name ?? description.accountName ?? null,
      kind: description.kind,
      channel,
      what: description.what,
      bucket: description.bucket,
      result,
      resultText,
    };
  }

  /** One handler, recorded by its rule. */
  function recorded<C extends RequestChannel>(channel: C, handler: Handlers[C]): Handlers[C] {
    const rule = rules[channel] as ActivityRule<C>;
    if (!rule.record) return handler;
    const describe = rule.describe;
    const wrapped = async (input: ParsedInput<C>, context: RequestContext): Promise<RequestOutput<C>> => {
      const at = now().toISOString();
      // Before the handler: a removed account has no name afterwards.
      const name = await accountName(describe(input, undefined).accountId);
      let output: RequestOutput<C>;
      try {
        output = await (handler as (input: ParsedInput<C>, context: RequestContext) => Promise<RequestOutput<C>>)(
          input,
          context,
        );
      } catch (thrown) {
        const error = toAppError(thrown, deps.classify);
        const result = error.code === 'cancelled' ? 'cancelled' : 'failed';
        save(entryOf(channel, describe(input, undefined), at, name, result, error.message));
        throw thrown;
      }
      const description = describe(input, output);
      // Some channels name their account only in the answer (a sync pair's run).
      const named = name ?? (await accountName(description.accountId));
      const ref = laterEndOf(output);
      const nothingQueued = (output as { count?: unknown }).count === 0;
      if (ref === undefined || nothingQueued) {
        save(entryOf(channel, description, at, named, 'ok', nothingQueued ? 'Nothing to transfer.' : 'Done.'));
        return output;
      }
      const entry = { ...entryOf(channel, description, at, named, 'running', 'Running…'), ref };
      const early = earlyEnds.get(ref);
      if (early) {
        earlyEnds.delete(ref);
        finish(entry, early);
      } else {
        running.set(ref, entry);
        save(entry);
      }
      return output;
    };
    return wrapped as Handlers[C];
  }

  return {
    wrap(handlers) {
      const wrapped: Partial<Record<RequestChannel, unknown>> = {};
      for (const channel of Object.keys(handlers) as RequestChannel[]) {
        wrapped[channel] = recorded(channel, handlers[channel]);
      }
      return wrapped as Handlers;
    },
    dispose: unsubscribe,
  };
}
