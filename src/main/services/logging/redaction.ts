import { secretForms } from './secret-forms';

/** What a secret is replaced with in the log. */
export const REDACTED = '[redacted]';

/** The secrets a process knows of, masked in every form wherever they turn up in text. */
export interface SecretRegistry {
  /** Adds a value that must never appear in the log (a secret key, a session token, an SSE-C key). */
  add(secret: string): void;
  /** A text with every registered secret, in any of its forms (secretForms), masked. */
  mask(text: string): string;
}

/** Escapes a text for use inside a regular expression. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A registry of secrets; one regular expression of all their forms, made again only when a secret is added. */
export function createSecretRegistry(): SecretRegistry {
  const secrets = new Set<string>();
  let pattern: RegExp | undefined;
  let stale = false;
  return {
    add(secret) {
      if (typeof secret !== 'string' || secret.length < 4 || secrets.has(secret)) return;
      secrets.add(secret);
      stale = true;
    },
    mask(text) {
      if (stale) {
        const forms = [...new Set([...secrets].flatMap(secretForms))].sort((a, b) => b.length - a.length);
        pattern = forms.length > 0 ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : undefined;
        stale = false;
      }
      return pattern ? text.replace(pattern, REDACTED) : text;
    },
  };
}

/**
 * The process's registry, which every logger masks by default. A secret must stay out of
 * every log the process writes, whichever service met it first: the keychain stores
 * register what they load (also after a restart, when no form was filled in), without
 * needing to know which logger exists.
 */
export const processSecrets: SecretRegistry = createSecretRegistry();

/**
 * Values that are credentials by their very name, registered or not: a request signature,
 * a session token, an SSE-C key (in a query string, as a header line or as a JSON member).
 * `X-Amz-Credential` stays: it holds the access key id, date and region, nothing secret.
 */
const credentialPatterns: readonly RegExp[] = [
  // Query strings and form fields: X-Amz-Signature=…, Signature=… (SigV2), X-Amz-Security-Token=…, SSE-C keys.
  /\b((?:X-Amz-)?Signature|X-Amz-Security-Token|x-amz-(?:copy-source-)?server-side-encryption-customer-key)(=|%3D)[^&\s"'#<>,;]*/gi,
  // Header lines and JSON members: "x-amz-security-token": "…", x-amz-…-customer-key: …
  /\b(x-amz-security-token|x-amz-(?:copy-source-)?server-side-encryption-customer-key)(["']?\s*:\s*["']?)[^\s"',;}]+/gi,
];

/** Masks registered secrets and credential-looking parameters in one text. */
export function maskText(text: string, secrets: SecretRegistry): string {
  let masked = secrets.mask(text);
  for (const pattern of credentialPatterns) masked = masked.replace(pattern, `$1$2${REDACTED}`);
  return masked;
}

/** Member names whose text or bytes are a secret, compared without case, '-' or '_'. */
const secretNames = new Set(
  [
    'secretAccessKey',
    'sessionToken',
    'securityToken',
    'x-amz-security-token',
    'x-amz-signature',
    'signature',
    'authorization',
    'password',
    'SSECustomerKey',
    'CopySourceSSECustomerKey',
    'x-amz-server-side-encryption-customer-key',
    'x-amz-copy-source-server-side-encryption-customer-key',
    'customerKey',
  ].map((name) => normalizeName(name)),
);

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Whether a member of this name holds a secret (see secretNames). */
export function isSecretName(name: string): boolean {
  return secretNames.has(normalizeName(name));
}

const MAX_DEPTH = 8;

/**
 * A copy of a value fit for the log, made before it is serialized: registered secrets and
 * credential parameters masked in every string (so quotes, backslashes or URL-encoding in a
 * secret cannot hide it, as they could from a mask run on the JSON line), members named like
 * secrets masked whatever they hold, bytes reduced to their length (a Buffer's JSON lists
 * its bytes), and errors reduced to name, message, code and status (JSON.stringify drops them).
 */
export function redactValue(value: unknown, secrets: SecretRegistry): unknown {
  const seen = new WeakSet<object>();
  const walk = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') return maskText(item, secrets);
    if (typeof item === 'bigint') return item.toString();
    if (typeof item === 'function' || typeof item === 'symbol') return undefined;
    if (item === null || typeof item !== 'object') return item;
    if (item instanceof Date) return Number.isNaN(item.getTime()) ? String(item) : item.toISOString();
    if (ArrayBuffer.isView(item) || item instanceof ArrayBuffer) return `[${item.byteLength} bytes]`;
    if (item instanceof URL || item instanceof URLSearchParams) return maskText(item.toString(), secrets);
    if (seen.has(item)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[nested too deep]';
    seen.add(item);
    try {
      if (item instanceof Error) {
        const extra = item as Error & { code?: unknown; $metadata?: { httpStatusCode?: unknown } };
        return {
          name: walk(item.name, depth + 1),
          message: walk(item.message, depth + 1),
          ...(extra.code !== undefined ? { code: walk(extra.code, depth + 1) } : {}),
          ...(extra.$metadata?.httpStatusCode !== undefined ? { status: extra.$metadata.httpStatusCode } : {}),
          ...(item.cause !== undefined ? { cause: walk(item.cause, depth + 1) } : {}),
        };
      }
      if (Array.isArray(item) || item instanceof Set) return [...item].map((entry) => walk(entry, depth + 1));
      const entries = item instanceof Map ? [...item.entries()] : Object.entries(item);
      const copy: Record<string, unknown> = {};
      for (const [name, member] of entries) {
        const key = maskText(String(name), secrets);
        copy[key] =
          isSecretName(String(name)) && (typeof member === 'string' || ArrayBuffer.isView(member))
            ? REDACTED
            : walk(member, depth + 1);
      }
      return copy;
    } finally {
      seen.delete(item);
    }
  };
  return walk(value, 0);
}
