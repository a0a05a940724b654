/** The five entities XML names; any other is written by number (&#39;, &#x27;, as Go's encoder writes them). */
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * An S3 answer's element text with its entities decoded (the five named ones, and numbers up to
 * U+10FFFF); undefined where the text holds an ampersand that starts no entity XML defines
 * (a DTD's own entity, a bare "&", a number past Unicode): such a text cannot be read for sure.
 */
export function decodeXmlText(raw: string): string | undefined {
  if (!raw.includes('&')) return raw;
  // An ETag's quotes, in every <Contents> of a listing (Go writes &#34;, AWS &quot;): decoded
  // without the general pattern below, which costs a callback per entity. What is left is the
  // same to that pattern: no entity holds "&#34;", and a '"' makes no name or number it reads.
  const quoted = raw.replaceAll('&#34;', '"').replaceAll('&quot;', '"');
  if (!quoted.includes('&')) return quoted;
  let readable = true;
  const text = quoted.replace(/&([^;&<]*);?/g, (whole, name: string) => {
    let value: string | undefined;
    if (!whole.endsWith(';')) value = undefined;
    else if (/^#x[0-9a-fA-F]{1,6}$/.test(name)) value = fromCodePoint(parseInt(name.slice(2), 16));
    else if (/^#\d{1,7}$/.test(name)) value = fromCodePoint(Number(name.slice(1)));
    else value = NAMED[name];
    if (value === undefined) readable = false;
    return value ?? whole;
  });
  return readable ? text : undefined;
}

function fromCodePoint(point: number): string | undefined {
  return point <= 0x10ffff ? String.fromCodePoint(point) : undefined;
}
