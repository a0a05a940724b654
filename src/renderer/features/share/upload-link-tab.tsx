import { useId, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { whyOptionsUnavailable, whyUnavailable, type ServiceCapabilities } from '../../../shared/capabilities';
import type { PostPolicyLink, ShareLink } from '../../../shared/share';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { SelectField, TextField } from '../../components/form-field';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import type { CannedAcl, ShareRequest } from '../../stores/share-slice';
import { formatLocation } from '../browser/parse-location';
import { aclChoices, unavailableHint } from '../capabilities/capability-choices';
import { useBucketCapabilities } from '../capabilities/use-capabilities';
import { CopyButton } from './copy-button';
import { defaultExpiryChoice, expiryOf, type ExpiryChoice } from './expiry';
import { ExpiryChooser } from './expiry-chooser';
import { LinkCard } from './link-card';
import { curlUploadCommand, sizeLimitOf, uploadNameProblem, type SizeUnit } from './link-text';
import { SizeLimitField } from './size-limit-field';

const aclText: Record<CannedAcl, string> = {
  private: 'Private (only the bucket owner)',
  'public-read': 'Public read',
  'public-read-write': 'Public read and write',
  'authenticated-read': 'Any AWS account can read',
  'bucket-owner-read': 'Bucket owner can read',
  'bucket-owner-full-control': 'Bucket owner has full control',
};

/** Why the service cannot give an uploaded file this ACL, or undefined where it can (or may). */
function aclProblem(model: ServiceCapabilities | null, acl: CannedAcl): string | undefined {
  return model ? whyOptionsUnavailable(model, { acl }) : undefined;
}

/** The ACL a link's upload gets: the ones the service lacks are listed but disabled, and the hint says why. */
function AclField({
  value,
  onChange,
  model,
}: {
  value: CannedAcl;
  onChange: (acl: CannedAcl) => void;
  model: ServiceCapabilities | null;
}) {
  const choices = aclChoices(model);
  return (
    <SelectField
      label="Access"
      hint={unavailableHint(choices) ?? 'The ACL the uploaded file gets; some services ignore ACLs.'}
      error={aclProblem(model, value)}
      value={value}
      onValueChange={(next) => onChange(next as CannedAcl)}
    >
      {choices.map((acl) => (
        <option key={acl.value} value={acl.value} disabled={acl.unavailable !== undefined}>
          {aclText[acl.value]}
        </option>
      ))}
    </SelectField>
  );
}

/**
 * Links that let someone without credentials upload: a PUT link for one file, and a POST form
 * (or, where the bucket's service takes no POST forms, why not).
 */
export function UploadLinkTab({ request }: { request: ShareRequest }) {
  const model = useBucketCapabilities(request.location.accountId, request.location.bucket);
  const noPostForms = model ? whyUnavailable(model, 'postPolicy') : undefined;
  return (
    <div className="share-upload">
      <PutLinkSection request={request} model={model} />
      {noPostForms !== undefined ? (
        <PostPolicyUnavailable reason={noPostForms} />
      ) : (
        <PostPolicySection request={request} model={model} />
      )}
    </div>
  );
}

/** The upload form's place where the service takes no POST forms: why, and what works instead. */
function PostPolicyUnavailable({ reason }: { reason: string }) {
  const headingId = useId();
  const textId = useId();
  return (
    <section className="share-section" aria-labelledby={headingId} aria-describedby={textId}>
      <h3 id={headingId} className="share-section__title">
        Upload form
      </h3>
      <p id={textId} className="callout callout--note">
        <Icon name="info" />
        <span>
          {reason} Upload forms (HTTP POST) cannot be made for this bucket; an upload link above lets someone upload one
          file.
        </span>
      </p>
    </section>
  );
}

function PutLinkSection({ request, model }: { request: ShareRequest; model: ServiceCapabilities | null }) {
  const createUploadLink = useAppStore((s) => s.createUploadLink);
  const headingId = useId();
  const { location } = request;
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [contentType, setContentType] = useState('');
  const [acl, setAcl] = useState<CannedAcl>('private');
  const [expiry, setExpiry] = useState<ExpiryChoice>(defaultExpiryChoice);
  const [made, setMade] = useState<{ link: ShareLink; contentType: string; acl: CannedAcl } | null>(null);
  const { busy, error, setError, run } = useDialogAction();
  const nameProblem = uploadNameProblem(location.prefix, name);
  const lifetime = expiryOf(expiry);
  const unsupported = aclProblem(model, acl);
  const blocked = busy || nameProblem !== null || lifetime.seconds === null || unsupported !== undefined;

  function submit(event: FormEvent): void {
    event.preventDefault();
    setNameTouched(true);
    if (nameProblem !== null || lifetime.seconds === null || unsupported !== undefined) return;
    const seconds = lifetime.seconds;
    const type = contentType.trim();
    void run(
      () =>
        createUploadLink(location, location.prefix + name, seconds, {
          acl,
          ...(type !== '' ? { contentType: type } : {}),
        }),
      (link) => setMade({ link, contentType: type, acl }),
    );
  }

  return (
    <section className="share-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="share-section__title">
        Upload link
      </h3>
      <p className="share-section__text">
        Whoever has this link can upload one file, under the name you give, until it expires (HTTP PUT).
      </p>
      <form noValidate onSubmit={submit}>
        <div className="form-grid">
          <TextField
            label="File name"
            autoComplete="off"
            value={name}
            onValueChange={(value) => {
              setName(value);
              setNameTouched(true);
              setError(null);
            }}
            error={nameTouched ? (nameProblem ?? undefined) : undefined}
            hint={`Saved in ${formatLocation(location.bucket, location.prefix)}`}
          />
          <TextField
            label="Content type"
            placeholder="Any"
            hint="The uploader must send this Content-Type header."
            value={contentType}
            onValueChange={setContentType}
          />
          <AclField value={acl} onChange={setAcl} model={model} />
          <ExpiryChooser value={expiry} onChange={setExpiry} />
        </div>
        <DialogError error={error} />
        <div className="share-form__actions">
          <button type="submit" className="button button--primary" aria-disabled={blocked || undefined}>
            <Icon name="upload" />
            {busy ? 'Making the link…' : 'Create upload link'}
          </button>
        </div>
      </form>
      {made ? (
        <div className="share-results">
          <ul className="link-cards">
            <LinkCard link={made.link} />
          </ul>
          <Snippet
            label="Upload with curl"
            text={curlUploadCommand(made.link.url, made.contentType, made.acl)}
            copyLabel="Copy curl command"
            doneMessage="Command copied"
          />
        </div>
      ) : null}
    </section>
  );
}

function PostPolicySection({ request, model }: { request: ShareRequest; model: ServiceCapabilities | null }) {
  const { createPostPolicy, closeShareDialog, openDropBox } = useAppStore(
    useShallow((s) => ({
      createPostPolicy: s.createPostPolicy,
      closeShareDialog: s.closeShareDialog,
      openDropBox: s.openDropBox,
    })),
  );
  const headingId = useId();
  const { location } = request;
  const [keyPrefix, setKeyPrefix] = useState(location.prefix);
  const [amount, setAmount] = useState('10');
  const [unit, setUnit] = useState<SizeUnit>('MiB');
  const [contentType, setContentType] = useState('');
  const [acl, setAcl] = useState<CannedAcl>('private');
  const [expiry, setExpiry] = useState<ExpiryChoice>(defaultExpiryChoice);
  const [made, setMade] = useState<PostPolicyLink | null>(null);
  const { busy, error, setError, run } = useDialogAction();
  const size = sizeLimitOf(amount, unit);
  const lifetime = expiryOf(expiry);
  const unsupported = aclProblem(model, acl);
  const blocked = busy || size.bytes === null || lifetime.seconds === null || unsupported !== undefined;

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (size.bytes === null || lifetime.seconds === null || unsupported !== undefined) return;
    const input = {
      keyPrefix,
      maxSizeBytes: size.bytes,
      expiresInSeconds: lifetime.seconds,
      acl,
      ...(contentType.trim() !== '' ? { contentType: contentType.trim() } : {}),
    };
    setMade(null);
    void run(() => createPostPolicy(location, input), setMade);
  }

  return (
    <section className="share-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="share-section__title">
        Upload form
      </h3>
      <p className="share-section__text">
        A web form (HTTP POST) that uploads files of any name under a prefix, up to a size, until it expires. For a page
        anyone can open in a browser, with progress and errors in words, make a drop box instead.
      </p>
      <div className="share-form__actions share-form__actions--start">
        <button
          type="button"
          className="button"
          onClick={() => {
            closeShareDialog();
            openDropBox(location);
          }}
        >
          <Icon name="upload" />
          Make a drop box for this folder…
        </button>
      </div>
      <form noValidate onSubmit={submit}>
        <div className="form-grid">
          <TextField
            label="Key prefix"
            hint={`Uploads land under s3://${location.bucket}/${keyPrefix}`}
            value={keyPrefix}
            onValueChange={(value) => {
              setKeyPrefix(value);
              setError(null);
            }}
          />
          <SizeLimitField
            id={`${headingId}-size`}
            label="Size limit"
            unitLabel="Unit of the size limit"
            amount={amount}
            unit={unit}
            onAmountChange={setAmount}
            onUnitChange={setUnit}
            error={size.error}
          />
          <TextField label="Content type" placeholder="Any" value={contentType} onValueChange={setContentType} />
          <AclField value={acl} onChange={setAcl} model={model} />
          <ExpiryChooser value={expiry} onChange={setExpiry} />
        </div>
        {error?.code === 'not-supported' ? (
          <p role="alert" className="callout callout--warning">
            <Icon name="info" />
            <span>This service does not accept upload forms (POST policies): {error.message}</span>
          </p>
        ) : (
          <DialogError error={error} />
        )}
        <div className="share-form__actions">
          <button type="submit" className="button button--primary" aria-disabled={blocked || undefined}>
            <Icon name="upload" />
            {busy ? 'Making the form…' : 'Create upload form'}
          </button>
        </div>
      </form>
      {made ? (
        <div className="share-results">
          <ul className="link-cards">
            <LinkCard link={made} />
          </ul>
          <Snippet
            label="HTML form"
            text={made.htmlForm}
            copyLabel="Copy HTML form"
            doneMessage="Form copied"
            rows={8}
          />
        </div>
      ) : null}
    </section>
  );
}

/** A read-only block of text to paste somewhere else, with its Copy button. */
function Snippet({
  label,
  text,
  copyLabel,
  doneMessage,
  rows = 3,
}: {
  label: string;
  text: string;
  copyLabel: string;
  doneMessage: string;
  rows?: number;
}) {
  const id = useId();
  return (
    <div className="snippet">
      <div className="snippet__head">
        <label htmlFor={id} className="snippet__label">
          {label}
        </label>
        <CopyButton label={copyLabel} text={text} doneMessage={doneMessage} />
      </div>
      <textarea id={id} readOnly rows={rows} className="input snippet__text" value={text} spellCheck={false} />
    </div>
  );
}
