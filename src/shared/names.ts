/** The name a "keep both" choice gives a copy: "report.pdf" → "report (1).pdf", "photos/" → "photos (1)/". */
export function numberedName(name: string, n: number): string {
  if (name.endsWith('/')) return `${name.slice(0, -1)} (${n})/`;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

/** The last segment of a key, keeping a folder's trailing '/': "a/b/c.txt" → "c.txt", "a/b/" → "b/". */
export function lastSegment(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) + (key.endsWith('/') ? '/' : '');
}

/** The folder a key is in: "a/b/c.txt" → "a/b/", "a/b/" → "a/", "c.txt" → "". */
export function parentOf(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  return trimmed.slice(0, trimmed.lastIndexOf('/') + 1);
}

/** "1 object", "3 objects": a count with its noun, for sentences shown to people. */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
