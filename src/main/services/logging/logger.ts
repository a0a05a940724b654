import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

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

/** Replaces every registered secret in a text with a mask. */
function mask(text: string, secrets: ReadonlySet<string>): string {
  let masked = text;
  for (const secret of secrets) if (secret.length >= 4) masked = masked.split(secret).join('[redacted]');
  return masked;
}

/** A logger that appends JSON lines to a file (and, where asked, echoes them to stderr). */
export function createFileLogger(file: string, options: { echo?: boolean; now?: () => Date } = {}): Logger {
  const secrets = new Set<string>();
  const now = options.now ?? (() => new Date());
  let pending: Promise<void> = mkdir(dirname(file), { recursive: true }).then(() => undefined);
  const write = (level: string, message: string, details?: Record<string, unknown>): void => {
    const line = mask(JSON.stringify({ time: now().toISOString(), level, message, ...details }), secrets);
    if (options.echo) console.error(line);
    pending = pending.then(() => appendFile(file, `${line}\n`, { mode: 0o600 })).catch(() => undefined);
  };
  return {
    info: (message, details) => write('info', message, details),
    warn: (message, details) => write('warn', message, details),
    error: (message, details) => write('error', message, details),
    redact: (secret) => void secrets.add(secret),
    flush: () => pending,
  };
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  redact: () => undefined,
  flush: async () => undefined,
};
