import type { LayoutStorage } from 'react-resizable-panels';

/**
 * Where pane sizes are remembered: localStorage, but never throwing. A page on an origin
 * without storage (an unregistered custom scheme, a locked-down browser) throws on any
 * access to `localStorage`, and pane sizes are not worth a crash.
 */
export const layoutStorage: LayoutStorage = {
  getItem(key) {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  setItem(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch {
      // Not remembered this time; the layout still works.
    }
  },
};
