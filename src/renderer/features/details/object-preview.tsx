import { useEffect, useState } from 'react';
import type { ObjectDetails } from '../../../shared/details';
import type { AppError } from '../../../shared/errors';
import { lastSegment } from '../../../shared/names';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import type { ObjectTarget } from '../../stores/details-slice';
import { formatSize } from '../browser/format';
import { DetailsSection } from './property';
import {
  AUTO_PREVIEW_IMAGE_BYTES,
  previewKindOf,
  TEXT_PREVIEW_BYTES,
  unpinnedPreviewUrl,
  urlPreviewBlocker,
} from './preview-kind';

/**
 * The PDF frame's extra attributes. `credentialless`: the framed document gets no cookies or
 * storage of its site (a presigned URL needs none); Chromium's PDF viewer works in it.
 * No `sandbox`: Chromium blocks its PDF viewer in every sandboxed frame, whatever the tokens
 * (a sandboxed frame has the "sandboxed plugins" flag, which no token lifts; tried with
 * none, allow-scripts, allow-same-origin and both), so a sandboxed frame would show no PDF
 * at all. What keeps a swapped object from rendering as a page is the signed
 * response-content-type=application/pdf that main pins and unpinnedPreviewUrl checks.
 * React renders `credentialless` as a boolean attribute; its types do not list it yet.
 */
const pdfFrameAttributes = { credentialless: true } as Record<string, boolean>;

// The component is keyed by object and ETag, so its state starts afresh for each object.
type PreviewState =
  | { status: 'idle' }
  | { status: 'text'; text: string; truncated: boolean }
  | { status: 'url'; url: string }
  | { status: 'error'; error: AppError };

/**
 * A preview of the selected object: an image, the start of a text file, a PDF, audio or video.
 * Media are streamed by the element itself from a short-lived URL (never read whole into the
 * page); text is a ranged read of its first bytes. Small images show at once, the rest on
 * "Preview". An SSE-C object has no URL preview: a browser element cannot send the key.
 */
export function ObjectPreview({ target, details }: { target: ObjectTarget; details: ObjectDetails }) {
  const previewText = useAppStore((s) => s.previewText);
  const previewUrl = useAppStore((s) => s.previewUrl);
  const kind = previewKindOf(details.contentType, details.key);
  const blocker = kind && kind !== 'text' ? urlPreviewBlocker(details) : null;
  const automatic = kind === 'image' && !blocker && details.size <= AUTO_PREVIEW_IMAGE_BYTES;
  const [state, setState] = useState<PreviewState>({ status: 'idle' });
  const [requested, setRequested] = useState(automatic);
  const name = lastSegment(details.key);

  const { accountId, bucket, key } = target;
  useEffect(() => {
    if (!requested || !kind || blocker) return;
    const object = { accountId, bucket, key };
    let current = true;
    const request =
      kind === 'text'
        ? previewText(object, TEXT_PREVIEW_BYTES).then((r) =>
            r.ok ? ({ status: 'text', ...r.value } as const) : ({ status: 'error', error: r.error } as const),
          )
        : previewUrl(object).then((r) => {
            if (!r.ok) return { status: 'error', error: r.error } as const;
            // A URL that does not pin its type could render whatever the object became: never shown.
            const unpinned = unpinnedPreviewUrl(r.value.url, kind);
            return unpinned
              ? ({ status: 'error', error: { code: 'not-supported', message: unpinned } } as const)
              : ({ status: 'url', url: r.value.url } as const);
          });
    void request.then((next) => {
      if (current) setState(next);
    });
    return () => {
      current = false;
    };
  }, [requested, kind, blocker, accountId, bucket, key, previewText, previewUrl]);

  if (!kind) return null;
  return (
    <DetailsSection title="Preview">
      {blocker ? (
        <p className="details__muted">{blocker}</p>
      ) : !requested ? (
        <button type="button" className="button button--small" onClick={() => setRequested(true)}>
          <Icon name="search" />
          Preview
        </button>
      ) : state.status === 'idle' ? (
        <p className="details__muted">Loading the preview…</p>
      ) : state.status === 'error' ? (
        <p className="field-error">{state.error.message}</p>
      ) : state.status === 'text' ? (
        <>
          <pre className="preview__text" tabIndex={0} aria-label={`Preview of ${name}`}>
            {state.text}
          </pre>
          {state.truncated ? (
            <p className="details__muted">
              Truncated: the first {formatSize(TEXT_PREVIEW_BYTES)} of {formatSize(details.size)} are shown.
            </p>
          ) : null}
        </>
      ) : kind === 'image' ? (
        <div className="preview__frame">
          <img className="preview__media" src={state.url} alt={`Preview of ${name}`} referrerPolicy="no-referrer" />
        </div>
      ) : kind === 'pdf' ? (
        <iframe
          className="preview__pdf"
          src={state.url}
          title={`Preview of ${name}`}
          referrerPolicy="no-referrer"
          {...pdfFrameAttributes}
        />
      ) : kind === 'audio' ? (
        <audio
          className="preview__media"
          src={state.url}
          controls
          preload="metadata"
          aria-label={`Preview of ${name}`}
        />
      ) : (
        <video
          className="preview__media"
          src={state.url}
          controls
          preload="metadata"
          aria-label={`Preview of ${name}`}
        />
      )}
    </DetailsSection>
  );
}
