import type { ReactNode } from 'react';
import { FormDialog } from '../browser/dialog-frame';

/**
 * A modal dialog opened from the details panel (edit properties, edit tags, the encryption
 * key): the file browser's form dialog, at the details panel's width.
 */
export function DetailsDialog(props: {
  open: boolean;
  onClose: () => void;
  title: string;
  description: ReactNode;
  children: ReactNode;
}) {
  return <FormDialog {...props} size="details" />;
}
