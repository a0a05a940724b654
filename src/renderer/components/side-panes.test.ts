import { describe, expect, it } from 'vitest';
import { defaultSidePaneChoices, expandedPanes, hidePane, showPane } from './side-panes';

describe('side panes', () => {
  it('shows both in a wide window and only the sidebar in a narrow one at first', () => {
    expect(expandedPanes(defaultSidePaneChoices, false)).toEqual({ sidebar: true, details: true });
    expect(expandedPanes(defaultSidePaneChoices, true)).toEqual({ sidebar: true, details: false });
  });

  it('in a narrow window, opening one pane collapses the other', () => {
    const details = showPane(defaultSidePaneChoices, 'details');
    expect(expandedPanes(details, true)).toEqual({ sidebar: false, details: true });
    expect(expandedPanes(showPane(details, 'sidebar'), true)).toEqual({ sidebar: true, details: false });
    // Wide again: both, as nothing was hidden by hand.
    expect(expandedPanes(details, false)).toEqual({ sidebar: true, details: true });
  });

  it('keeps a pane the person hid collapsed at any width until they open it', () => {
    const hidden = hidePane(defaultSidePaneChoices, 'sidebar');
    expect(expandedPanes(hidden, false)).toEqual({ sidebar: false, details: true });
    expect(expandedPanes(hidden, true)).toEqual({ sidebar: false, details: false });
    expect(expandedPanes(showPane(hidden, 'sidebar'), false)).toEqual({ sidebar: true, details: true });
  });
});
