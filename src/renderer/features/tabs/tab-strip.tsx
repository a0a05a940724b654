import { useRef, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { IconButton } from '../../components/icon-button';
import { useAppStore } from '../../stores/app-store';
import { locationOf } from '../../stores/selection-slice';
import { tabTitle } from '../../stores/tabs-slice';
import { itemDropHandlers } from './item-drop';

/**
 * The tabs above the file browser: each its own account, bucket, folder, history and selected
 * rows. A WAI-ARIA tab list: Left and Right (Home, End) move between tabs and show them, Delete
 * closes the focused one; "New tab" opens the folder shown in a new tab. Rows dragged from the
 * list onto a tab are copied there (moved with Shift), through the "Copy to" dialog.
 */
export function TabStrip() {
  const { tabs, activeTabId, liveSelection, accounts, switchTab, openTab, closeTab } = useAppStore(
    useShallow((s) => ({
      tabs: s.tabs,
      activeTabId: s.activeTabId,
      liveSelection: s.selection,
      accounts: s.accounts,
      switchTab: s.switchTab,
      openTab: s.openTab,
      closeTab: s.closeTab,
    })),
  );
  const listRef = useRef<HTMLDivElement>(null);
  const selectionOf = (id: string) =>
    id === activeTabId ? liveSelection : (tabs.find((t) => t.id === id)?.selection ?? null);
  const titles = tabs.map((tab) => tabTitle(selectionOf(tab.id), accounts));

  /** Shows a tab and puts the keyboard focus on it. */
  function focusTab(index: number): void {
    const tab = tabs[(index + tabs.length) % tabs.length];
    if (!tab) return;
    switchTab(tab.id);
    listRef.current?.querySelector<HTMLElement>(`[data-tab-id="${tab.id}"]`)?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>, index: number, id: string): void {
    const moves: Record<string, number> = {
      ArrowLeft: index - 1,
      ArrowRight: index + 1,
      Home: 0,
      End: tabs.length - 1,
    };
    const to = moves[event.key];
    if (to !== undefined) {
      event.preventDefault();
      focusTab(to);
    } else if (event.key === 'Delete' && tabs.length > 1) {
      event.preventDefault();
      closeTab(id);
      // Focus follows to the tab shown now, so the keyboard stays in the strip.
      requestAnimationFrame(() => focusTab(Math.min(index, tabs.length - 2)));
    }
  }

  const single = tabs.length === 1;
  return (
    <div className="tab-strip">
      <div ref={listRef} role="tablist" aria-label="Tabs" className="tab-strip__list">
        {tabs.map((tab, index) => {
          const active = tab.id === activeTabId;
          const title = titles[index] ?? '';
          const drop = itemDropHandlers(() => locationOf(selectionOf(tab.id)));
          return (
            <div key={tab.id} className="tab" data-active={active || undefined} role="presentation" {...drop}>
              <button
                type="button"
                role="tab"
                id={`tab-${tab.id}`}
                data-tab-id={tab.id}
                aria-selected={active}
                aria-keyshortcuts={single ? undefined : 'Delete'}
                tabIndex={active ? 0 : -1}
                className="tab__button"
                title={title}
                onClick={() => switchTab(tab.id)}
                onKeyDown={(event) => onKeyDown(event, index, tab.id)}
                onAuxClick={(event) => {
                  // A middle click closes, as in browsers.
                  if (event.button === 1 && !single) closeTab(tab.id);
                }}
              >
                <span className="tab__title">{title}</span>
              </button>
            </div>
          );
        })}
      </div>
      <IconButton label="New tab" icon="plus" onClick={() => openTab()} />
      <IconButton
        label="Close tab"
        icon="close"
        disabledReason={single ? 'The last tab stays open.' : null}
        onClick={() => {
          if (!single) closeTab(activeTabId);
        }}
      />
    </div>
  );
}
