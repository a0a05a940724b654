import { Separator } from 'react-resizable-panels';

/**
 * A keyboard-focusable splitter between two panels (role="separator" with aria-valuenow;
 * arrow keys resize). It needs a name saying what it resizes, since the window has several.
 * Styled by its aria-orientation, which the library sets from the group's direction.
 */
export function ResizeHandle({ label }: { label: string }) {
  return <Separator className="resize-handle" aria-label={label} />;
}
