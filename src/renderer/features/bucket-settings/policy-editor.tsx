import { useRef, type Ref } from 'react';

/**
 * A plain textarea with line numbers beside it (a gutter that scrolls with the text), so that a
 * problem's "line 4, column 17" can be found by eye. No editor library: a policy is at most 20 KB.
 */
export function PolicyEditor({
  id,
  value,
  onChange,
  readOnly,
  invalid,
  describedBy,
  textareaRef,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  readOnly: boolean;
  invalid: boolean;
  describedBy: string | undefined;
  textareaRef: Ref<HTMLTextAreaElement>;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = Math.max(1, value.split('\n').length);
  return (
    <div className="policy-editor">
      <div className="policy-editor__gutter" aria-hidden="true" ref={gutter}>
        {Array.from({ length: lines }, (_, index) => (
          <div key={index}>{index + 1}</div>
        ))}
      </div>
      <textarea
        id={id}
        ref={textareaRef}
        className="policy-editor__text"
        value={value}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        wrap="off"
        readOnly={readOnly}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        onChange={(event) => onChange(event.target.value)}
        onScroll={(event) => {
          if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
        }}
      />
    </div>
  );
}

/** Puts the caret at a line and column (1-based) of a textarea, and scrolls it into view. */
export function revealPosition(textarea: HTMLTextAreaElement, offset: number): void {
  textarea.focus();
  textarea.setSelectionRange(offset, offset);
  // Scroll so the line shows: the line's index times the line height.
  const line = textarea.value.slice(0, offset).split('\n').length - 1;
  const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 18;
  const top = line * lineHeight;
  if (top < textarea.scrollTop || top > textarea.scrollTop + textarea.clientHeight - lineHeight) {
    textarea.scrollTop = Math.max(0, top - textarea.clientHeight / 2);
  }
}
