import { appError, type AppError, type ErrorCode } from '../../shared/errors';

/** A failure a service throws on purpose: it carries a code a person can act on and a safe message. */
export class AppFailure extends Error {
  /** The code sent to the renderer. */
  readonly code: ErrorCode;
  /** Technical facts for "Details" (a checksum that differs), kept out of the message a person reads first. */
  readonly detail: string | undefined;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; detail?: string }) {
    const error = appError(code, message);
    super(error.message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppFailure';
    this.code = code;
    this.detail = options?.detail;
  }

  /** The error as data, for the wire. */
  toAppError(): AppError {
    return { code: this.code, message: this.message, ...(this.detail ? { detail: this.detail } : {}) };
  }
}

/** Maps any thrown value to an AppError; an unexpected error becomes `internal` without its text (it may hold secrets). */
export function toAppError(thrown: unknown, classify?: (thrown: unknown) => AppError | undefined): AppError {
  if (thrown instanceof AppFailure) return thrown.toAppError();
  return classify?.(thrown) ?? appError('internal');
}
