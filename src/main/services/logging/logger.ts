import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { processSecrets, redactValue, type SecretRegistry } from './redaction';

/** The app's log: one line per event, with every registered secret masked before it is written. */
export interface Logger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
  /** Registers a value that must never appear in the log (a secret key, a token). */
  redact(secret: string): void;
  /** Resolves when every line so far is on disk. */
  flush(): Promise<void>;
}

/** Options of a file logger. */
export interface FileLoggerOptions {
  /** Also print each line to stderr. */
  echo?: boolean;
  now?: () => Date;
  /** The secrets to mask; the process's registry by default, which the keychain stores also fill. */
  secrets?: SecretRegistry;
}

/**
 * A logger that appends JSON lines to a file (and, where asked, echoes them to stderr). Each
 * entry is redacted as a structured value before it is serialized (redactValue), then the
 * line is masked once more, as a last guard for a form the walk could not see.
 */
export function createFileLogger(file: string, options: FileLoggerOptions = {}): Logger {
  const secrets = options.secrets ?? processSecrets;
  const now = options.now ?? (() => new Date());
  let pending: Promise<void> = mkdir(dirname(file), { recursive: true }).then(() => undefined);
  const write = (level: string, message: string, details?: Record<string, unknown>): void => {
    const entry = redactValue({ time: now().toISOString(), level, message, ...details }, secrets);
    const line = secrets.mask(JSON.stringify(entry));
    if (options.echo) console.error(line);
    pending = pending.then(() => appendFile(file, `${line}\n`, { mode: 0o600 })).catch(() => undefined);
  };
  return {
    info: (message, details) => write('info', message, details),
    warn: (message, details) => write('warn', message, details),
    error: (message, details) => write('error', message, details),
    redact: (secret) => secrets.add(secret),
    flush: () => pending,
  };
}

/** A logger that drops everything, for tests that do not look at logs; it still registers secrets with the process. */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  redact: (secret) => processSecrets.add(secret),
  flush: async () => undefined,
};
