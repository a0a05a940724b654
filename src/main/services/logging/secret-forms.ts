/** Forms shorter than this are not looked for: they would match ordinary text by chance. */
export const MIN_SECRET_FORM_LENGTH = 8;

/** encodeURIComponent plus the characters SigV4 and RFC 3986 also escape (!'()*). */
function encodeStrict(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The same percent-escapes with lower-case hex digits (%2f), which some encoders write. */
function lowerHex(encoded: string): string {
  return encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}

/**
 * The base64 text of some bytes wherever they sit in a longer encoded value: base64 packs
 * three bytes into four characters, so bytes that start at offset 1 or 2 of a group (as
 * in `Basic base64(user:secret)`) encode differently. For each of the three alignments,
 * the characters that depend on the secret's bytes alone (whole groups) are one form; the
 * complete encodings, padding included, are forms too.
 */
function base64Forms(bytes: Buffer): string[] {
  const forms = [bytes.toString('base64'), bytes.toString('base64url')];
  for (let skip = 0; skip < 3; skip++) {
    const rest = bytes.subarray(skip);
    const whole = rest.subarray(0, rest.length - (rest.length % 3));
    forms.push(whole.toString('base64'), whole.toString('base64url'));
  }
  return forms;
}

/**
 * Every form in which a secret may turn up in text: as it is, JSON-escaped (once and
 * twice, for a JSON document logged inside a string), URL-encoded (component, strict and
 * form encoding, upper- and lower-case hex) and base64 (standard and URL-safe, at any
 * alignment). Used by the log's redaction and by the test suite's secrets scan, so both
 * look for the same things. Forms shorter than MIN_SECRET_FORM_LENGTH are left out, except
 * the secret itself when it has at least 4 characters.
 */
export function secretForms(secret: string): string[] {
  if (secret.length < 4) return [];
  const json = JSON.stringify(secret).slice(1, -1);
  const component = encodeURIComponent(secret);
  const strict = encodeStrict(secret);
  const formEncoded = new URLSearchParams({ s: secret }).toString().slice(2);
  const candidates = [
    json,
    JSON.stringify(json).slice(1, -1),
    component,
    strict,
    formEncoded,
    lowerHex(component),
    lowerHex(strict),
    lowerHex(formEncoded),
    ...base64Forms(Buffer.from(secret, 'utf8')),
  ];
  const forms = new Set([secret]);
  for (const form of candidates) if (form.length >= MIN_SECRET_FORM_LENGTH) forms.add(form);
  // Longest first, so that a regular expression made of them masks a whole form, not a part of it.
  return [...forms].sort((a, b) => b.length - a.length);
}
