/**
 * What a test typed into a form, taken out of a Playwright trace before the secrets scan reads
 * it. A test that adds an account types the secret key into the form's password field, and
 * Playwright records it three times over: as the action (`fill` with its value, its log line,
 * and the runner's step titled `Fill "…"`), in every page snapshot taken while the form is open
 * (the password field's value), and in the frame the page sends to main when the form is
 * submitted (web mode's WebSocket). All three are the test's own input on its way to main, which
 * the rules allow; without this, every failing test that adds an account would also fail the
 * scan. Everything else in a trace (console messages, frames received, the rest of each
 * snapshot, the actions' results) is still searched, and a line that cannot be read is searched
 * whole.
 */

/** Playwright's protocol methods that type text the test supplies. */
const typingMethods = new Set(['fill', 'type', 'pressSequentially', 'insertText']);

/** The runner's step titles for the same actions, which quote the text typed. */
const typingStepTitle = /^(Fill|Type|Press sequentially|Insert text) "/;

/** One entry of a zip archive, by name. */
export interface ZipEntry {
  name: string;
  data: Buffer;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type JsonObject = { [key: string]: Json };

/** A JSON object, or undefined for anything else. */
const objectOf = (value: Json | undefined): JsonObject | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;

/** Reads one line of a trace as an event; undefined where it is not one. */
function eventOf(line: string): JsonObject | undefined {
  try {
    return objectOf(JSON.parse(line) as Json);
  } catch {
    return undefined;
  }
}

/** The text a trace event types, if it is the start of an action that types the test's text. */
function typedText(event: JsonObject): string | undefined {
  if (event.type !== 'before') return undefined;
  const typing =
    (typeof event.method === 'string' && typingMethods.has(event.method)) ||
    (typeof event.title === 'string' && typingStepTitle.test(event.title));
  if (!typing) return undefined;
  const params = objectOf(event.params);
  const text = params?.value ?? params?.text;
  return typeof text === 'string' ? text : '';
}

/**
 * Blanks, in a snapshot's DOM, each password field's value that the test typed. Playwright stores
 * the DOM as nested arrays: [tag, attributes, ...children], with strings for text and [[n, m]]
 * for earlier nodes. Says whether it blanked any.
 */
function blankTypedPasswords(node: Json, typed: ReadonlySet<string>): boolean {
  if (!Array.isArray(node)) return false;
  let blanked = false;
  const [tag, attributes] = node;
  const attributeMap = objectOf(attributes);
  const type = attributeMap?.type;
  if (
    attributeMap &&
    typeof tag === 'string' &&
    tag.toUpperCase() === 'INPUT' &&
    typeof type === 'string' &&
    type.toLowerCase() === 'password'
  ) {
    // The live value, and the attribute React keeps in step with it.
    for (const name of ['__playwright_value_', 'value']) {
      const value = attributeMap[name];
      if (typeof value === 'string' && typed.has(value)) {
        attributeMap[name] = '';
        blanked = true;
      }
    }
  }
  // Children, and (harmlessly) the tag and attributes, which are not arrays.
  for (const child of node) if (blankTypedPasswords(child, typed)) blanked = true;
  return blanked;
}

/** The events that record a call itself (its start, its log messages, its input point and its end). */
const callRecordTypes = new Set(['before', 'log', 'input', 'after']);

/** Whether a zip entry of a trace is one of its event files (one JSON event a line). */
const isEventFile = (name: string): boolean => name.endsWith('.trace');

/** Whether a zip entry may be a WebSocket's frames (a resource of one JSON frame a line). */
const isFrameLog = (name: string): boolean => name.startsWith('resources/') && name.endsWith('.jsonl');

/** Blanks every string in a JSON value that the test typed; says whether it blanked any. */
function blankTypedStrings(value: Json, typed: ReadonlySet<string>): boolean {
  if (Array.isArray(value)) return value.map((item) => blankTypedStrings(item, typed)).some(Boolean);
  const map = objectOf(value);
  if (!map) return false;
  let blanked = false;
  for (const [key, item] of Object.entries(map)) {
    if (typeof item === 'string' && typed.has(item)) {
      map[key] = '';
      blanked = true;
    } else if (blankTypedStrings(item, typed)) blanked = true;
  }
  return blanked;
}

/** An entry's lines, each with its event where the line is one (undefined where it is not). */
type ParsedLines = { line: string; event: JsonObject | undefined }[];

/** Reads each line of an entry as an event, once. */
const parseLines = (entry: ZipEntry): ParsedLines =>
  entry.data
    .toString('utf8')
    .split('\n')
    .map((line) => ({ line, event: eventOf(line) }));

/** An entry rebuilt from its lines: each event `rewrite` changes is replaced, every other line kept as it was. */
function rewriteLines(name: string, lines: ParsedLines, rewrite: (event: JsonObject) => string | undefined): ZipEntry {
  const text = lines.map(({ line, event }) => (event && rewrite(event)) ?? line).join('\n');
  return { name, data: Buffer.from(text, 'utf8') };
}

/**
 * The entries of a Playwright trace as the scan should search them, without the text the test
 * typed where the test's own typing put it: the typing actions' records in the event files; that
 * text in a password field of a page snapshot; and that text as a value in a frame the page sent
 * over its WebSocket (submitting a form sends what was typed to main, by design). A password field
 * or a sent frame holding anything the test did not type in this trace is kept, so a secret the
 * app put back into a form is still found, and frames the page received are searched whole.
 */
export function withoutTypedInput(entries: readonly ZipEntry[]): ZipEntry[] {
  const typed = new Set<string>();
  /** Each event file's lines, read once, and its calls that type (their records are the test's own). */
  const eventFiles = new Map<string, { lines: ParsedLines; typingCalls: Set<string> }>();
  for (const entry of entries.filter((e) => isEventFile(e.name))) {
    const lines = parseLines(entry);
    const typingCalls = new Set<string>();
    for (const { event } of lines) {
      const text = event && typedText(event);
      if (text === undefined) continue;
      if (text) typed.add(text);
      if (typeof event?.callId === 'string') typingCalls.add(event.callId);
    }
    eventFiles.set(entry.name, { lines, typingCalls });
  }
  if (typed.size === 0) return [...entries];
  return entries.map((entry) => {
    const eventFile = eventFiles.get(entry.name);
    if (eventFile) {
      const { lines, typingCalls } = eventFile;
      return rewriteLines(entry.name, lines, (event) => {
        // A snapshot carries the call it was taken for, but shows the page: it is kept.
        const callId = event.callId;
        if (typeof callId === 'string' && typingCalls.has(callId) && callRecordTypes.has(String(event.type))) return '';
        const snapshot = event.type === 'frame-snapshot' ? objectOf(event.snapshot) : undefined;
        // A snapshot with no typed password is kept as written, not serialized again.
        if (!snapshot || !blankTypedPasswords(snapshot.html ?? null, typed)) return undefined;
        return JSON.stringify(event);
      });
    }
    if (isFrameLog(entry.name))
      return rewriteLines(entry.name, parseLines(entry), (event) => {
        if (event.type !== 'send' || typeof event.data !== 'string') return undefined;
        const message = eventOf(event.data);
        if (!message || !blankTypedStrings(message, typed)) return undefined;
        return JSON.stringify({ ...event, data: JSON.stringify(message) });
      });
    return entry;
  });
}
