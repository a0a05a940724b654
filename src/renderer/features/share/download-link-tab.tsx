import { Collapsible } from 'radix-ui';
import { useState, type FormEvent } from 'react';
import { lastSegment } from '../../../shared/names';
import type { ShareLink } from '../../../shared/share';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { CheckboxField, TextField } from '../../components/form-field';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import type { ShareRequest } from '../../stores/share-slice';
import { copyText } from './clipboard';
import { CopyButton } from './copy-button';
import { defaultExpiryChoice, expiryOf, type ExpiryChoice } from './expiry';
import { ExpiryChooser } from './expiry-chooser';
import { LinkCard } from './link-card';
import { clipboardTextOf, emptyGetLinkForm, getLinkOptions, type GetLinkForm } from './link-text';

/**
 * Download links for the chosen files: a lifetime, a few options, and "Copy link", which
 * makes the links, puts them on the clipboard (one per line) and lists each with its expiry.
 */
export function DownloadLinkTab({ request }: { request: ShareRequest }) {
  const createShareLinks = useAppStore((s) => s.createShareLinks);
  const [expiry, setExpiry] = useState<ExpiryChoice>(defaultExpiryChoice);
  const [form, setForm] = useState<GetLinkForm>(emptyGetLinkForm);
  const [moreOpen, setMoreOpen] = useState(false);
  const [links, setLinks] = useState<ShareLink[] | null>(null);
  const { busy, error, setError, run } = useDialogAction();
  const { keys, location } = request;
  const one = keys.length === 1;
  const lifetime = expiryOf(expiry);
  const blocked = busy || lifetime.seconds === null;

  function submit(event: FormEvent): void {
    event.preventDefault();
    // Nothing is sent with a lifetime the schema refuses: the problem is on screen already.
    if (lifetime.seconds === null) return;
    const seconds = lifetime.seconds;
    void run(
      () => createShareLinks(location, keys, seconds, getLinkOptions(form, keys.length)),
      (made) => {
        setLinks(made);
        void copyText(clipboardTextOf(made), made.length === 1 ? 'Link copied' : `${made.length} links copied`);
      },
    );
  }

  const change = (fields: Partial<GetLinkForm>) => {
    setForm((state) => ({ ...state, ...fields }));
    setError(null);
  };

  return (
    <form className="share-form" noValidate onSubmit={submit}>
      <div className="form-grid">
        <ExpiryChooser
          value={expiry}
          onChange={(next) => {
            setExpiry(next);
            setError(null);
          }}
        />
      </div>
      <Collapsible.Root open={moreOpen} onOpenChange={setMoreOpen} className="form-section">
        <Collapsible.Trigger type="button" className="disclosure">
          <Icon name="chevron-right" className="disclosure__icon" />
          More options
        </Collapsible.Trigger>
        <Collapsible.Content className="form-grid form-section__content">
          <CheckboxField
            label="Force download"
            hint="The browser saves the file instead of showing it (response-content-disposition)."
            checked={form.forceDownload}
            onCheckedChange={(forceDownload) => change({ forceDownload })}
          />
          {form.forceDownload && one ? (
            <TextField
              label="Save as"
              placeholder={lastSegment(keys[0] ?? '')}
              hint="The file name the browser saves it under; empty keeps the object's name."
              value={form.downloadName}
              onValueChange={(downloadName) => change({ downloadName })}
            />
          ) : null}
          <TextField
            label="Content type"
            placeholder="As stored"
            hint="Overrides the type the link answers with (response-content-type)."
            value={form.contentType}
            onValueChange={(contentType) => change({ contentType })}
          />
          {one ? (
            <TextField
              label="Version ID"
              placeholder="The current version"
              hint="Links a specific version of the file (see Show versions)."
              value={form.versionId}
              onValueChange={(versionId) => change({ versionId })}
            />
          ) : null}
        </Collapsible.Content>
      </Collapsible.Root>
      <DialogError error={error} />
      <div className="share-form__actions">
        <button type="submit" className="button button--primary" data-autofocus aria-disabled={blocked || undefined}>
          <Icon name="link" />
          {busy ? 'Making links…' : one ? 'Copy link' : 'Copy links'}
        </button>
      </div>
      {links ? (
        <section className="share-results" aria-label="Links made">
          <div className="share-results__head">
            <h3 className="share-results__title">{links.length === 1 ? 'Link' : `${links.length} links`}</h3>
            {links.length > 1 ? (
              <CopyButton
                label="Copy all links"
                visibleText="Copy all"
                text={clipboardTextOf(links)}
                doneMessage={`${links.length} links copied`}
              />
            ) : null}
          </div>
          <ul className="link-cards">
            {links.map((link) => (
              <LinkCard key={link.id} link={link} />
            ))}
          </ul>
        </section>
      ) : null}
    </form>
  );
}
