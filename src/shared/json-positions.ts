/**
 * A small JSON parser (RFC 8259) that keeps where each value starts and ends, so that an error
 * in a policy can say "line 4, column 17": `JSON.parse` reports positions differently on each
 * engine (and sometimes not at all), and gives no positions for values that parse but are wrong.
 */

/** Where something is in the text: a 0-based offset, and 1-based line and column (in UTF-16 units). */
export interface TextPosition {
  offset: number;
  line: number;
  column: number;
}

/** A JSON value with the span of text it came from. */
export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number'; start: number; end: number; value: number }
  | { kind: 'boolean'; start: number; end: number; value: boolean }
  | { kind: 'null'; start: number; end: number };

/** One member of an object: its key (with the key's own span) and its value. */
export interface JsonMember {
  key: string;
  keyStart: number;
  value: JsonNode;
}

/** A text that is not JSON: what is wrong, and where. */
export interface JsonSyntaxError {
  message: string;
  position: TextPosition;
}

/** The line and column of an offset in a text. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: end - lineStart + 1 };
}

/** Thrown inside the parser only; turned into a JsonSyntaxError at the top. */
class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** How a character is named in an error: printable ones quoted, the rest by name. */
function describe(char: string | undefined): string {
  if (char === undefined) return 'the end of the text';
  if (char === '\n') return 'a line break';
  if (char === '\t') return 'a tab';
  return `"${char}"`;
}

/** Parses JSON text into nodes with positions, or says what is wrong and where. */
export function parseJsonWithPositions(
  text: string,
): { ok: true; node: JsonNode } | { ok: false; error: JsonSyntaxError } {
  let at = 0;

  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at += 1;
  };
  const fail = (message: string, offset = at): never => {
    throw new SyntaxFailure(message, offset);
  };
  const expectChar = (char: string, what: string) => {
    if (text.charAt(at) !== char) fail(`Expected ${what} here, found ${describe(text[at])}.`);
    at += 1;
  };

  function parseString(): { value: string; start: number; end: number } {
    const start = at;
    expectChar('"', 'a string in double quotes');
    let value = '';
    for (;;) {
      const char = text[at];
      if (char === undefined) fail('This string is not closed: add the closing double quote (").', start);
      if (char === '"') break;
      // Pointed at the string's start: that is where the missing quote belongs to.
      if (char === '\n' || char === '\r')
        fail('This string is not closed before the line ends: add its closing ".', start);
      if (char !== undefined && char.charCodeAt(0) < 0x20) fail('A control character must be escaped inside a string.');
      if (char === '\\') {
        const escape = text[at + 1];
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (escape !== undefined && simple[escape] !== undefined) {
          value += simple[escape];
          at += 2;
          continue;
        }
        if (escape === 'u') {
          const hex = text.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('\\u must be followed by four hexadecimal digits.');
          value += String.fromCharCode(parseInt(hex, 16));
          at += 6;
          continue;
        }
        fail(`${describe(escape)} cannot follow a backslash: write \\\\ for a backslash.`);
      }
      value += char;
      at += 1;
    }
    at += 1;
    return { value, start, end: at };
  }

  function parseValue(): JsonNode {
    skipSpace();
    const start = at;
    const char = text[at];
    if (char === '{') return parseObject();
    if (char === '[') return parseArray();
    if (char === '"') return { kind: 'string', ...parseString() };
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) {
      const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
      if (!match) fail('This number is not written as JSON writes numbers.');
      at += match?.[0].length ?? 0;
      return { kind: 'number', start, end: at, value: Number(match?.[0]) };
    }
    for (const [word, node] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return { ...node, start, end: at } as JsonNode;
      }
    }
    if (char === "'") return fail('JSON strings take double quotes ("), not single ones.');
    return fail(`Expected a value here, found ${describe(char)}.`);
  }

  function parseObject(): JsonNode {
    const start = at;
    at += 1;
    const members: JsonMember[] = [];
    // Where the last comma was: a trailing comma is reported there, not at the brace after it.
    let lastComma = at;
    skipSpace();
    if (text[at] === '}') {
      at += 1;
      return { kind: 'object', start, end: at, members };
    }
    for (;;) {
      skipSpace();
      if (text[at] === '}') fail('Remove the comma before "}": JSON allows no trailing comma.', lastComma);
      if (text[at] !== '"') fail(`Expected a member name in double quotes here, found ${describe(text[at])}.`);
      const key = parseString();
      skipSpace();
      expectChar(':', 'a colon (:) after the member name');
      const value = parseValue();
      members.push({ key: key.value, keyStart: key.start, value });
      skipSpace();
      if (text[at] === ',') {
        lastComma = at;
        at += 1;
        continue;
      }
      if (text[at] === '}') {
        at += 1;
        return { kind: 'object', start, end: at, members };
      }
      fail(`Expected a comma (,) or "}" here, found ${describe(text[at])}.`);
    }
  }

  function parseArray(): JsonNode {
    const start = at;
    at += 1;
    const items: JsonNode[] = [];
    let lastComma = at;
    skipSpace();
    if (text[at] === ']') {
      at += 1;
      return { kind: 'array', start, end: at, items };
    }
    for (;;) {
      skipSpace();
      if (text[at] === ']') fail('Remove the comma before "]": JSON allows no trailing comma.', lastComma);
      items.push(parseValue());
      skipSpace();
      if (text[at] === ',') {
        lastComma = at;
        at += 1;
        continue;
      }
      if (text[at] === ']') {
        at += 1;
        return { kind: 'array', start, end: at, items };
      }
      fail(`Expected a comma (,) or "]" here, found ${describe(text[at])}.`);
    }
  }

  try {
    skipSpace();
    if (at >= text.length) fail('The text is empty: write a JSON object.');
    const node = parseValue();
    skipSpace();
    if (at < text.length) fail(`Nothing may follow the end of the JSON value; found ${describe(text[at])}.`);
    return { ok: true, node };
  } catch (error) {
    if (!(error instanceof SyntaxFailure)) throw error;
    return { ok: false, error: { message: error.message, position: positionAt(text, error.offset) } };
  }
}
