import {
  events,
  requests,
  type EventChannel,
  type EventPayload,
  type RequestChannel,
  type RequestInput,
  type RequestOutput,
} from './contract';
import type { Result } from './result';

type DomainOf<C extends string> = C extends `${infer D}.${string}` ? D : never;
type VerbOf<C extends string> = C extends `${string}.${infer V}` ? V : never;
type OnName<C extends string> = `on${Capitalize<VerbOf<C>>}`;

/** The typed `window.api`: `api.buckets.list(input)` per request, `api.accounts.onChanged(fn)` per event. */
export type Api = {
  [D in DomainOf<RequestChannel | EventChannel>]: {
    [C in RequestChannel as DomainOf<C> extends D ? VerbOf<C> : never]: (
      input: RequestInput<C>,
    ) => Promise<Result<RequestOutput<C>>>;
  } & {
    [C in EventChannel as DomainOf<C> extends D ? OnName<C> : never]: (
      listener: (payload: EventPayload<C>) => void,
    ) => () => void;
  };
};

/** How an Api reaches main: Electron IPC in the preload, a WebSocket in web mode. */
export interface ApiTransport {
  /** Sends one request and resolves with its Result; never rejects. */
  invoke(channel: RequestChannel, input: unknown): Promise<Result<unknown>>;
  /** Subscribes to one event channel; returns the unsubscribe function. */
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void;
}

/** Builds the typed Api from the contract's channel lists over any transport. */
export function createApi(transport: ApiTransport): Api {
  const api: Record<string, Record<string, unknown>> = {};
  const domain = (name: string): Record<string, unknown> => (api[name] ??= {});
  for (const channel of Object.keys(requests) as RequestChannel[]) {
    const [d, verb] = channel.split('.') as [string, string];
    domain(d)[verb] = (input: unknown) => transport.invoke(channel, input);
  }
  for (const channel of Object.keys(events) as EventChannel[]) {
    const [d, verb] = channel.split('.') as [string, string];
    domain(d)[`on${verb.charAt(0).toUpperCase()}${verb.slice(1)}`] = (listener: (p: unknown) => void) =>
      transport.subscribe(channel, listener);
  }
  return api as unknown as Api;
}
