import type { EventChannel, EventPayload } from '../../shared/contract';

/** A listener that receives every event, with its channel: what a host forwards to its clients. */
export type AnyEventListener = (channel: EventChannel, payload: unknown) => void;

/** The services' outgoing events, typed by the contract; hosts subscribe with `onAny`. */
export interface EventBus {
  /** Sends one event to every subscriber. */
  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void;
  /** Subscribes to every event; returns the unsubscribe function. */
  onAny(listener: AnyEventListener): () => void;
}

/** Creates an in-process EventBus. */
export function createEventBus(): EventBus {
  const listeners = new Set<AnyEventListener>();
  return {
    emit(channel, payload) {
      for (const listener of listeners) listener(channel, payload);
    },
    onAny(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
