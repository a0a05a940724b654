import { Separator } from 'react-resizable-panels';

/**
 * A keyboard-focusable splitter between two panels (role="separator" with aria-valuenow;
 * arrow keys resize). It needs a name saying what it resizes, since the window has several.
 * Styled by its aria-orientation, which the library sets from the group's direction.
 *
 * The name comes from `title` (also the pointer's tooltip), not aria-label: a splitter lies
 * between landmarks, never inside one, and axe-core's `region` rule counts an element with an
 * ARIA label as content that a landmark must hold. A title names it just the same.
 */
export function ResizeHandle({ label }: { label: string }) {
  return <Separator className="resize-handle" title={label} />;
}
