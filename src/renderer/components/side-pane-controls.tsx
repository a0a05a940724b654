import { Tooltip } from 'radix-ui';
import { createContext, useCallback, useContext, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Icon } from './icon';
import { IconButton } from './icon-button';
import { layoutStorage } from './layout-storage';
import {
  defaultSidePaneChoices,
  expandedPanes,
  hidePane,
  NARROW_WINDOW_PX,
  showPane,
  type SidePane,
  type SidePaneChoices,
} from './side-panes';

/** What the window frame and the panes' own buttons share: which pane is expanded, and how to change it. */
interface SidePanesValue {
  expanded: Record<SidePane, boolean>;
  show(pane: SidePane): void;
  hide(pane: SidePane): void;
}

const SidePanesContext = createContext<SidePanesValue | null>(null);

const HIDDEN_KEY = 's3fm.layout.hidden';
const narrowQuery = `(max-width: ${NARROW_WINDOW_PX - 1}px)`;

/** The panes hidden by hand, remembered like pane sizes (layoutStorage never throws). */
function rememberedChoices(): SidePaneChoices {
  try {
    const saved = JSON.parse(layoutStorage.getItem(HIDDEN_KEY) ?? 'null') as Partial<SidePaneChoices['hidden']> | null;
    return {
      ...defaultSidePaneChoices,
      hidden: { sidebar: saved?.sidebar === true, details: saved?.details === true },
    };
  } catch {
    return defaultSidePaneChoices;
  }
}

/** True while the window is narrower than NARROW_WINDOW_PX. */
function useNarrowWindow(): boolean {
  return useSyncExternalStore(
    (changed) => {
      const query = window.matchMedia(narrowQuery);
      query.addEventListener('change', changed);
      return () => query.removeEventListener('change', changed);
    },
    () => window.matchMedia(narrowQuery).matches,
  );
}

/** Holds the side panes' state for the window (app.tsx) and the panes' Hide buttons. */
export function SidePanesProvider({ children }: { children: ReactNode }) {
  const narrow = useNarrowWindow();
  const [choices, setChoices] = useState(rememberedChoices);
  const change = useCallback((next: (current: SidePaneChoices) => SidePaneChoices) => {
    setChoices((current) => {
      const updated = next(current);
      layoutStorage.setItem(HIDDEN_KEY, JSON.stringify(updated.hidden));
      return updated;
    });
  }, []);
  const value = useMemo<SidePanesValue>(
    () => ({
      expanded: expandedPanes(choices, narrow),
      show: (pane) => change((current) => showPane(current, pane)),
      hide: (pane) => change((current) => hidePane(current, pane)),
    }),
    [choices, narrow, change],
  );
  return <SidePanesContext.Provider value={value}>{children}</SidePanesContext.Provider>;
}

/** The side panes' state; outside a provider (a pane rendered alone in a test) both are expanded and stay so. */
export function useSidePanes(): SidePanesValue {
  return useContext(SidePanesContext) ?? fallback;
}

const fallback: SidePanesValue = {
  expanded: { sidebar: true, details: true },
  show: () => undefined,
  hide: () => undefined,
};

const paneNames: Record<SidePane, { title: string; show: string; hide: string; icon: 'sidebar' | 'details' }> = {
  sidebar: { title: 'Accounts', show: 'Show sidebar', hide: 'Hide sidebar', icon: 'sidebar' },
  details: { title: 'Details', show: 'Show details', hide: 'Hide details', icon: 'details' },
};

/** A pane header's button that collapses the pane to its rail. */
export function HidePaneButton({ pane }: { pane: SidePane }) {
  const { hide } = useSidePanes();
  return <IconButton label={paneNames[pane].hide} icon={paneNames[pane].icon} onClick={() => hide(pane)} />;
}

/**
 * A collapsed pane: a narrow rail with one labelled button (its icon, and its title written
 * downwards) that opens the pane again. A landmark of its own, so that nothing in the window
 * lies outside one.
 */
export function PaneRail({ pane }: { pane: SidePane }) {
  const { show } = useSidePanes();
  const names = paneNames[pane];
  return (
    <aside className={`pane-rail pane-rail--${pane}`} aria-label={`${names.title} (collapsed)`}>
      <Tooltip.Root>
        <Tooltip.Trigger asChild>
          <button type="button" className="pane-rail__button" aria-label={names.show} onClick={() => show(pane)}>
            <Icon name={names.icon} />
            <span aria-hidden="true" className="pane-rail__title">
              {names.title}
            </span>
          </button>
        </Tooltip.Trigger>
        <Tooltip.Portal>
          <Tooltip.Content
            className="tooltip"
            side={pane === 'sidebar' ? 'right' : 'left'}
            sideOffset={6}
            collisionPadding={8}
          >
            {names.show}
          </Tooltip.Content>
        </Tooltip.Portal>
      </Tooltip.Root>
    </aside>
  );
}
