import type { z } from 'zod';

/** The building blocks of the contract, apart so that each domain's channels can live in a file of its own. */

/** A request channel's spec: the schema of its argument, and (as a phantom type) its result. */
export interface RequestSpec<Input extends z.ZodType, Output> {
  input: Input;
  /** Never set at run time; carries the result type. */
  readonly output?: Output;
}

/** An event channel's spec; the payload type is carried as a phantom type. */
export interface EventSpec<Payload> {
  readonly payload?: Payload;
}

/** Declares a request channel: `request<Result>()(schema)`. */
export function request<Output>() {
  return <Input extends z.ZodType>(input: Input): RequestSpec<Input, Output> => ({ input });
}

/** Declares an event channel carrying `Payload`. */
export function event<Payload>(): EventSpec<Payload> {
  return {};
}
