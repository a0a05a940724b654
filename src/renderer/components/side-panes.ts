/**
 * Which side panes (the sidebar on the left, the details on the right) are expanded, and which
 * are collapsed to a rail: pure, so the rules are tested without a window.
 *
 * In a wide window each pane shows unless the person hid it. In a narrow one (under
 * NARROW_WINDOW_PX) only one shows, the one opened last (the sidebar at first), so the file list
 * keeps most of the width: at 900 px the sidebar and details together would leave it about 370 px.
 */

/** A pane beside the file list that can collapse to a rail. */
export type SidePane = 'sidebar' | 'details';

/** Below this window width only one side pane is expanded at a time. */
export const NARROW_WINDOW_PX = 1100;

/** What the person chose: panes they hid, and the pane they opened last. */
export interface SidePaneChoices {
  hidden: Record<SidePane, boolean>;
  lastOpened: SidePane;
}

/** Nothing hidden yet: both panes in a wide window, the sidebar in a narrow one. */
export const defaultSidePaneChoices: SidePaneChoices = {
  hidden: { sidebar: false, details: false },
  lastOpened: 'sidebar',
};

/** Which panes are expanded for these choices in a window that is narrow or not. */
export function expandedPanes(choices: SidePaneChoices, narrow: boolean): Record<SidePane, boolean> {
  const shown = (pane: SidePane) => !choices.hidden[pane] && (!narrow || choices.lastOpened === pane);
  return { sidebar: shown('sidebar'), details: shown('details') };
}

/** The choices after the person opens a pane from its rail. */
export function showPane(choices: SidePaneChoices, pane: SidePane): SidePaneChoices {
  return { hidden: { ...choices.hidden, [pane]: false }, lastOpened: pane };
}

/** The choices after the person hides a pane (to a rail, until they open it again). */
export function hidePane(choices: SidePaneChoices, pane: SidePane): SidePaneChoices {
  return { ...choices, hidden: { ...choices.hidden, [pane]: true } };
}
