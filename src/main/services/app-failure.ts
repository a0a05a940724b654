import { appError, type AppError, type ErrorCode } from '../../shared/errors';

/** A failure a service throws on purpose: it carries a code a person can act on and a safe message. */
export class AppFailure extends Error {
  /** The code sent to the renderer. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown }) {
    const error = appError(code, message);
    super(error.message, options);
    this.name = 'AppFailure';
    this.code = code;
  }

  /** The error as data, for the wire. */
  toAppError(): AppError {
    return { code: this.code, message: this.message };
  }
}

/** Maps any thrown value to an AppError; an unexpected error becomes `internal` without its text (it may hold secrets). */
export function toAppError(thrown: unknown, classify?: (thrown: unknown) => AppError | undefined): AppError {
  if (thrown instanceof AppFailure) return thrown.toAppError();
  return classify?.(thrown) ?? appError('internal');
}
