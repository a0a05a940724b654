import { Icon } from '../../components/icon';
import { copyText } from './clipboard';

/**
 * A small "Copy" button. Its accessible name says what it copies ("Copy link for report.pdf"),
 * since a dialog can hold several; the visible word "Copy" is part of that name.
 */
export function CopyButton({
  label,
  text,
  doneMessage,
  visibleText = 'Copy',
}: {
  label: string;
  text: string;
  doneMessage: string;
  visibleText?: string;
}) {
  return (
    <button
      type="button"
      className="button button--small"
      aria-label={label}
      onClick={() => void copyText(text, doneMessage)}
    >
      <Icon name="copy" />
      {visibleText}
    </button>
  );
}
