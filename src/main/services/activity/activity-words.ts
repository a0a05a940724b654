/** Words for activity entries: names of keys and paths cut to a readable, bounded length. */

/** The longest name an entry quotes whole; longer ones keep their start and end. */
const MAX_NAME = 200;
/** How many names an entry lists before "and N more". */
const MAX_NAMES = 3;

/** A name cut to MAX_NAME characters, keeping its start and its end (where the extension is). */
export function shortName(name: string): string {
  if (name.length <= MAX_NAME) return name;
  return `${name.slice(0, MAX_NAME - 41)}…${name.slice(-40)}`;
}

/** The last part of a path or key ('a/b/c.txt' → 'c.txt', 'a/b/' → 'b/'), for local paths too. */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const last = trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
  return trimmed.length < path.length ? `${last}/` : last;
}

/** Names some keys: "a.jpg", "a.jpg and b.jpg", "a.jpg, b.jpg, c.jpg and 4 more". */
export function nameList(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMES).map(shortName);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1) ?? ''}`;
}

/** "1 file", "3 files". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A place in a bucket: "photos/2024/" or "photos" for its top level. */
export function place(bucket: string, prefix = ''): string {
  return prefix === '' ? bucket : `${bucket}/${shortName(prefix)}`;
}

/** A URL's host only: an endpoint may carry a user name and password, which the log must not keep. */
export function hostOf(url: string): string {
  if (url === '') return '';
  try {
    return new URL(url).host;
  } catch {
    return 'an endpoint';
  }
}
