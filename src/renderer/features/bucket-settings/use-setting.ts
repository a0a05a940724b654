import { useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { Result } from '../../../shared/result';

/** A setting read from the service: loading, its value, or the error that came instead. */
export type LoadedSetting<T> =
  { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: AppError };

const loading = { status: 'loading' } as const;

/**
 * Reads one bucket setting when a section opens (again on `reload`, and when `key` changes),
 * dropping an answer that arrives after the section moved on. `set` replaces the value with
 * what a save read back.
 */
export function useSetting<T>(read: () => Promise<Result<T>>, key: string) {
  const [round, setRound] = useState(0);
  const [result, setResult] = useState<{ tag: string; loaded: LoadedSetting<T> } | null>(null);
  const tag = `${round} ${key}`;
  // The latest `read` (a new function every render); the tag says when to call it.
  const latestRead = useRef(read);
  useEffect(() => {
    latestRead.current = read;
  });
  useEffect(() => {
    let current = true;
    void latestRead.current().then((answer) => {
      if (!current) return;
      setResult({
        tag,
        loaded: answer.ok ? { status: 'ready', value: answer.value } : { status: 'error', error: answer.error },
      });
    });
    return () => {
      current = false;
    };
  }, [tag]);
  return {
    loaded: result?.tag === tag ? result.loaded : loading,
    reload: () => setRound((n) => n + 1),
    set: (value: T) => setResult({ tag, loaded: { status: 'ready', value } }),
  };
}
