import { useEffect, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import { lastSegment } from '../../../shared/names';
import type { ObjectUrls } from '../../../shared/share';
import { useAppStore } from '../../stores/app-store';
import type { ShareRequest } from '../../stores/share-slice';
import { CopyButton } from './copy-button';

// URLs are shown for this many files at most: each takes a request (the object's ACL).
const MAX_FILES = 20;

type UrlsState = { status: 'loading' } | { status: 'ready'; urls: ObjectUrls } | { status: 'error'; error: AppError };

/** The plain URLs of the chosen files: the s3:// URI, and the public URL with whether it works for anyone. */
export function OtherUrlsTab({ request }: { request: ShareRequest }) {
  const shown = request.keys.slice(0, MAX_FILES);
  return (
    <div className="share-urls">
      <p className="share-section__text">
        These URLs carry no signature: the s3:// URI is for tools such as the AWS CLI, and the public URL works only for
        objects anyone may read.
      </p>
      <ul className="link-cards">
        {shown.map((key) => (
          <ObjectUrlsCard key={key} request={request} objectKey={key} />
        ))}
      </ul>
      {request.keys.length > shown.length ? (
        <p className="field-hint">
          The first {MAX_FILES} of {request.keys.length.toLocaleString()} files are shown.
        </p>
      ) : null}
    </div>
  );
}

function readabilityText(readable: boolean | null): string {
  if (readable === true) return 'Publicly readable: anyone with this URL can open it.';
  if (readable === false) return 'Not publicly readable: this URL answers “Access denied” (share a link instead).';
  return 'The service does not say whether anyone may read it (a bucket policy may still allow it).';
}

function ObjectUrlsCard({ request, objectKey }: { request: ShareRequest; objectKey: string }) {
  const objectUrls = useAppStore((s) => s.objectUrls);
  const [state, setState] = useState<UrlsState>({ status: 'loading' });
  const name = lastSegment(objectKey);
  const { location } = request;

  useEffect(() => {
    let current = true;
    void objectUrls(location, objectKey).then((result) => {
      if (current)
        setState(result.ok ? { status: 'ready', urls: result.value } : { status: 'error', error: result.error });
    });
    return () => {
      current = false;
    };
  }, [objectUrls, location, objectKey]);

  return (
    <li className="link-card" aria-label={name}>
      <div className="link-card__head">
        <span className="link-card__name" title={objectKey}>
          {name}
        </span>
      </div>
      {state.status === 'loading' ? <p className="field-hint">Loading…</p> : null}
      {state.status === 'error' ? <p className="field-error">{state.error.message}</p> : null}
      {state.status === 'ready' ? (
        <dl className="properties share-urls__list">
          <dt>S3 URI</dt>
          <dd className="share-urls__value">
            <input
              readOnly
              className="input"
              aria-label={`S3 URI of ${name}`}
              value={state.urls.s3Uri}
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton label={`Copy S3 URI of ${name}`} text={state.urls.s3Uri} doneMessage="URI copied" />
          </dd>
          <dt>Public URL</dt>
          <dd className="share-urls__value">
            <input
              readOnly
              className="input"
              aria-label={`Public URL of ${name}`}
              value={state.urls.publicUrl}
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton label={`Copy public URL of ${name}`} text={state.urls.publicUrl} doneMessage="URL copied" />
          </dd>
          <dt>Who can read</dt>
          <dd>{readabilityText(state.urls.publiclyReadable)}</dd>
        </dl>
      ) : null}
    </li>
  );
}
