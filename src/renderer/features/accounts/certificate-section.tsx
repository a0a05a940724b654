import type { CertificateSummary } from '../../../shared/accounts';
import type { AppError } from '../../../shared/errors';
import { CheckboxField } from '../../components/form-field';
import { Icon } from '../../components/icon';

/** Where inspecting an endpoint's certificate is: not asked, on its way, shown, or failed. */
export type CertificateState =
  | { status: 'idle' }
  | { status: 'loading'; endpoint: string }
  | { status: 'shown'; endpoint: string; certificate: CertificateSummary }
  | { status: 'failed'; endpoint: string; error: AppError };

// Expiry in the person's own locale, with the time: a certificate that expires today matters.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** The PEM of the certificate inspected for this endpoint, or empty. */
function certificateOffered(state: CertificateState, endpoint: string): string {
  return state.status === 'shown' && state.endpoint === endpoint ? state.certificate.pem : '';
}

/** Props of CertificateSection. */
export interface CertificateSectionProps {
  /** The form's endpoint; a certificate inspected for another endpoint is not shown. */
  endpoint: string;
  state: CertificateState;
  /** The PEM the account trusts (pins), or empty. */
  trustedPem: string;
  /** The PEM the account trusted when the form opened, so unchecking it can be undone before an inspection. */
  savedPem: string;
  onInspect: () => void;
  onTrustedPemChange: (pem: string) => void;
  /** The trust checkbox's element id, so a failed connection test can lead the person straight to it. */
  trustId: string;
}

/**
 * The server certificate of an https endpoint: an "Inspect certificate" button, what the
 * certificate says (subject, issuer, expiry, SHA-256), and "Trust this certificate for this
 * account", which pins that certificate for this account only (verification stays on).
 */
export function CertificateSection({
  endpoint,
  state,
  trustedPem,
  savedPem,
  onInspect,
  onTrustedPemChange,
  trustId,
}: CertificateSectionProps) {
  const offered = certificateOffered(state, endpoint);
  const current = state.status !== 'idle' && state.endpoint === endpoint ? state : null;
  const certificate = current?.status === 'shown' ? current.certificate : null;
  const pinnedOther = trustedPem !== '' && offered !== '' && offered.trim() !== trustedPem.trim();
  const candidate = offered || savedPem;
  return (
    <>
      <span className="form-label">Server certificate</span>
      <div className="form-control">
        <div className="form-inline">
          <button
            type="button"
            className="button"
            aria-disabled={current?.status === 'loading' || undefined}
            onClick={() => {
              if (current?.status !== 'loading') onInspect();
            }}
          >
            <Icon name="certificate" />
            Inspect certificate
          </button>
          {current?.status === 'loading' ? (
            <span role="status" className="field-hint">
              Inspecting…
            </span>
          ) : null}
        </div>
        {current?.status === 'failed' ? (
          <p role="alert" className="callout callout--danger">
            {current.error.message}
          </p>
        ) : null}
        {certificate ? (
          <section className="certificate" aria-label="Server certificate">
            {certificate.problem ? (
              <p className="certificate__problem">
                <Icon name="alert" />
                <span>{certificate.problem}</span>
              </p>
            ) : (
              <p className="certificate__ok">
                <Icon name="success" />
                <span>This computer trusts this certificate.</span>
              </p>
            )}
            <dl className="properties certificate__properties">
              <dt>Subject</dt>
              <dd className="selectable">{certificate.subject}</dd>
              <dt>Issuer</dt>
              <dd className="selectable">
                {certificate.issuer}
                {certificate.selfSigned ? ' (self-signed)' : ''}
              </dd>
              <dt>Expires</dt>
              <dd>{formatDate(certificate.validTo)}</dd>
              <dt>SHA-256</dt>
              <dd className="selectable certificate__fingerprint">{certificate.sha256}</dd>
            </dl>
          </section>
        ) : null}
        {!certificate && savedPem !== '' ? (
          <p className="field-hint">
            This account trusts a certificate pinned earlier. Inspect the server’s to compare them.
          </p>
        ) : null}
      </div>
      {candidate !== '' ? (
        <CheckboxField
          label="Trust this certificate for this account"
          hint={
            pinnedOther
              ? 'The account trusts another certificate than this one; check this to trust this one instead.'
              : 'Only this account trusts it, and only this exact certificate.'
          }
          id={trustId}
          checked={trustedPem !== '' && !pinnedOther}
          onCheckedChange={(checked) => onTrustedPemChange(checked ? candidate : '')}
        />
      ) : null}
    </>
  );
}
