import { describe, expect, it, vi } from 'vitest';

// The desktop entry's first lines, before any window (Electron's checklist 4 and "one instance at a
// time"), against a stand-in electron whose single-instance lock is already held elsewhere.
const calls = vi.hoisted(() => [] as string[]);
vi.mock('electron', () => ({
  app: {
    enableSandbox: () => calls.push('enableSandbox'),
    requestSingleInstanceLock: () => {
      calls.push('requestSingleInstanceLock');
      return false;
    },
    quit: () => calls.push('quit'),
    on: () => undefined,
    whenReady: () => new Promise(() => undefined),
  },
  protocol: { registerSchemesAsPrivileged: () => calls.push('registerSchemesAsPrivileged') },
  ipcMain: {},
  Menu: {},
  session: {},
  shell: {},
}));

describe('the desktop entry', () => {
  it('sandboxes every renderer, registers app:// before ready, and quits when another instance runs', async () => {
    await import('./main');
    expect(calls).toEqual(['registerSchemesAsPrivileged', 'enableSandbox', 'requestSingleInstanceLock', 'quit']);
  });
});
