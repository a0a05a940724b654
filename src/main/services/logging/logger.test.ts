import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger } from './logger';

describe('file logger', () => {
  it('masks every registered secret before writing a line', async () => {
    const folder = await mkdtemp(join(tmpdir(), 's3fm-log-'));
    try {
      const file = join(folder, 'logs', 'main.log');
      const logger = createFileLogger(file);
      logger.redact('SECRET-KEY-123456');
      logger.info('saving', { note: 'the key is SECRET-KEY-123456 here' });
      logger.warn('plain line');
      await logger.flush();
      const text = await readFile(file, 'utf8');
      expect(text).not.toContain('SECRET-KEY-123456');
      expect(text).toContain('the key is [redacted] here');
      expect(text.trim().split('\n')).toHaveLength(2);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
