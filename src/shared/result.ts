import type { AppError } from './errors';

/** The outcome of every request: a value, or an error as data (never a thrown Error across processes). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Wraps a value as a successful Result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Wraps an AppError as a failed Result. */
export function fail<T = never>(error: AppError): Result<T> {
  return { ok: false, error };
}
