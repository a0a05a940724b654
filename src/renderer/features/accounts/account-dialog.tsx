import { Collapsible, Dialog } from 'radix-ui';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { useShallow } from 'zustand/react/shallow';
import {
  credentialSources,
  providerIds,
  providerPresets,
  type AccountSummary,
  type AwsProfileSummary,
  type CredentialSource,
  type KeychainStatus,
  type ProviderId,
} from '../../../shared/accounts';
import { defaultErrorMessages, type AppError } from '../../../shared/errors';
import { api } from '../../api';
import { CheckboxField, SelectField, TextField } from '../../components/form-field';
import { Icon } from '../../components/icon';
import { IconButton } from '../../components/icon-button';
import { sidebarFocusTarget, useReturnFocus } from '../../components/return-focus';
import { useAppStore } from '../../stores/app-store';
import {
  advancedFields,
  attemptSubmit,
  checkAccountForm,
  chooseProfile,
  chooseProvider,
  describeConnection,
  draftForTest,
  draftFromForm,
  editAccountForm,
  firstInvalidField,
  isHttpsEndpoint,
  newAccountForm,
  profileLabel,
  setField,
  touchField,
  visibleError,
  whyActionsWait,
  withDetectedRegion,
  type AccountField,
  type AccountFormState,
  type AccountFormValues,
} from './account-form';
import { CertificateSection, type CertificateState } from './certificate-section';

/** The credential sources as the form offers them. */
const credentialSourceText: Record<CredentialSource, { label: string; hint: string }> = {
  static: { label: 'Access keys', hint: 'An access key ID and its secret, kept in the system keychain.' },
  profile: {
    label: 'AWS profile',
    hint: 'A profile from ~/.aws/config or ~/.aws/credentials, SSO profiles included.',
  },
  environment: {
    label: 'Environment variables',
    hint: 'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN of the environment the app started in.',
  },
  'default-chain': {
    label: 'Default credential chain',
    hint: 'Whatever the AWS SDK finds first: environment, profiles, SSO, or the container or instance role.',
  },
};

/**
 * The Region field's hint for services that check the region (their preset fills it in); the
 * others start empty and are detected, as the default hint says.
 */
const regionHints: Partial<Record<ProviderId, string>> = {
  r2: 'R2 expects the region auto.',
  b2: 'Needed: the region in your endpoint, e.g. us-west-004.',
  wasabi: 'Needed: the region in your endpoint, e.g. us-east-1 or eu-central-1.',
  digitalocean: 'Needed: the region in your endpoint, e.g. nyc3 or fra1.',
};

// Expiry of temporary credentials in the person's own locale, with the time.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function isProviderId(value: string): value is ProviderId {
  return (providerIds as readonly string[]).includes(value);
}

/**
 * The account form in a modal dialog ("Add account" or "Edit account"), open while the store
 * names an account editor. The form's state, secret included, lives in the dialog's content and
 * is dropped when it closes.
 */
export function AccountDialog() {
  const { target, editing, close } = useAppStore(
    useShallow((s) => {
      const target = s.accountEditor;
      return {
        target,
        editing:
          target?.mode === 'edit'
            ? s.accounts.find((a) => a.id === target.accountId && a.origin === 'saved')
            : undefined,
        close: s.closeAccountEditor,
      };
    }),
  );
  // An account removed meanwhile (another window) closes its editor.
  const open = target !== null && (target.mode === 'add' || editing !== undefined);
  const focus = useReturnFocus(sidebarFocusTarget);
  // A new account, once saved, is selected in the tree: focus goes to its row, not back to the
  // button the form came from (whose tooltip, open on focus, would cover the tree's first rows).
  const addedAccount = useRef(false);
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next) close();
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content
          className="dialog dialog--form"
          // A stray click beside the dialog must not throw away what was typed; Escape and Cancel close it.
          onInteractOutside={(event) => event.preventDefault()}
          // Not autoFocus on the field: the dialog must see what had focus before it, to return focus there.
          onOpenAutoFocus={(event) => {
            focus.remember();
            event.preventDefault();
            (event.currentTarget as HTMLElement).querySelector<HTMLElement>('[data-autofocus]')?.focus();
          }}
          onCloseAutoFocus={(event) => {
            const row = addedAccount.current ? selectedTreeRow() : null;
            addedAccount.current = false;
            if (!row) {
              focus.restore(event);
              return;
            }
            event.preventDefault();
            row.focus();
          }}
        >
          {open ? (
            <AccountForm
              key={editing?.id ?? 'new'}
              editing={editing ?? null}
              onClose={close}
              onSaved={() => {
                addedAccount.current = editing === undefined;
              }}
            />
          ) : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** Why a connection test runs: the Test connection button, or Save (which tests before it saves). */
type TestPurpose = 'test' | 'save';

type TestState =
  | { status: 'idle' }
  // `run` tells this test's answer from that of a test the person started over (or made stale by an edit).
  | { status: 'running'; run: object; purpose: TestPurpose }
  | { status: 'passed'; message: string }
  | { status: 'failed'; error: AppError; purpose: TestPurpose };

type ProfilesState =
  | { status: 'loading'; profiles: AwsProfileSummary[] }
  | { status: 'ready'; profiles: AwsProfileSummary[] }
  | { status: 'failed'; profiles: AwsProfileSummary[]; error: AppError };

function hasAdvancedValues(values: AccountFormValues): boolean {
  return [...advancedFields].some((field) => values[field] !== '');
}

/** The sidebar tree's selected row (the account a save just selected), if it is shown. */
function selectedTreeRow(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[role="tree"] [role="treeitem"][aria-selected="true"]');
}

function AccountForm({
  editing,
  onClose,
  onSaved,
}: {
  editing: AccountSummary | null;
  onClose: () => void;
  /** Called once the account is saved, just before the form closes. */
  onSaved: () => void;
}) {
  const { accounts, saveAccount } = useAppStore(
    useShallow((s) => ({ accounts: s.accounts, saveAccount: s.saveAccount })),
  );
  const [form, setForm] = useState<AccountFormState>(() =>
    editing ? editAccountForm(editing) : newAccountForm(accounts),
  );
  const [keychain, setKeychain] = useState<KeychainStatus | null>(null);
  const [profiles, setProfiles] = useState<ProfilesState>({ status: 'loading', profiles: [] });
  const [advancedOpen, setAdvancedOpen] = useState(() => hasAdvancedValues(form.values));
  const [test, setTest] = useState<TestState>({ status: 'idle' });
  const [certificate, setCertificate] = useState<CertificateState>({ status: 'idle' });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<AppError | null>(null);
  const check = useMemo(() => checkAccountForm(form, { accounts, keychain }), [form, accounts, keychain]);

  const ids = {
    sourceLabel: useId(),
    sourceHint: useId(),
    fields: useId(),
    waitReason: useId(),
    testStatus: useId(),
    keychainNote: useId(),
  };
  // Each field's element id, so a save attempt can take the person to the first problem.
  const fieldId = (field: AccountField) => `${ids.fields}-${field}`;
  const focusField = (field: AccountField) => document.getElementById(fieldId(field))?.focus();

  useEffect(() => {
    let current = true;
    void api.accounts.keychainStatus({}).then((result) => {
      if (current && result.ok) setKeychain(result.value);
    });
    return () => {
      current = false;
    };
  }, []);

  const wantsProfiles = form.values.credentialSource === 'profile';
  useEffect(() => {
    if (!wantsProfiles) return;
    let current = true;
    void api.accounts.profiles({}).then((result) => {
      if (!current) return;
      setProfiles((previous) =>
        result.ok
          ? { status: 'ready', profiles: result.value }
          : { status: 'failed', profiles: previous.profiles, error: result.error },
      );
    });
    return () => {
      current = false;
    };
  }, [wantsProfiles]);

  const { values } = form;
  const error = (field: AccountField) => visibleError(form, check, field);
  /** A change invalidates a test result and a save error (a new name may fix a conflict). */
  function changed(field: AccountField): void {
    setSaveError(null);
    if (field !== 'name') setTest({ status: 'idle' });
  }

  function change<K extends AccountField>(field: K, value: AccountFormValues[K]): void {
    setForm((state) => setField(state, field, value));
    changed(field);
  }

  function textProps(field: Exclude<AccountField, 'pathStyle' | 'provider' | 'credentialSource' | 'secretStorage'>) {
    return {
      value: values[field],
      onValueChange: (value: string) => change(field, value),
      onBlur: () => setForm((state) => touchField(state, field)),
      error: error(field),
      id: fieldId(field),
    };
  }

  /** Shows every error and takes the person to the first one (opening "Advanced" if it is there). */
  function revealErrors(): void {
    const first = firstInvalidField(check);
    flushSync(() => {
      setForm(attemptSubmit);
      if (first && advancedFields.has(first)) setAdvancedOpen(true);
    });
    if (first) focusField(first);
  }

  /**
   * Save: a connection that was not shown to work is tested first, and saved only if it works.
   * A failed test keeps the dialog open, says why, and offers "Save anyway" (saveUntested).
   */
  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (saving || test.status === 'running') return;
    if (!check.valid) {
      revealErrors();
      return;
    }
    let tested = form;
    if (test.status !== 'passed') {
      const run = await runTest('save');
      if (run?.outcome.status !== 'passed') return;
      tested = run.form;
    }
    await save(tested);
  }

  /** Saves without (another) connection test: the person chose "Save anyway" after a failed one. */
  async function saveUntested(): Promise<void> {
    if (saving || test.status === 'running') return;
    if (!check.valid) {
      revealErrors();
      return;
    }
    await save(form);
  }

  async function save(state: AccountFormState): Promise<void> {
    setSaving(true);
    setSaveError(null);
    const result = await saveAccount(draftFromForm(state));
    setSaving(false);
    if (result.ok) {
      onSaved();
      onClose();
      return;
    }
    setSaveError(result.error);
    if (result.error.code === 'conflict') focusField('name');
  }

  /**
   * Tests the form's connection; resolves to the outcome and the form as it then is (with a
   * detected region filled in), or undefined where an edit made it stale.
   */
  async function runTest(purpose: TestPurpose): Promise<{ outcome: TestState; form: AccountFormState } | undefined> {
    if (test.status === 'running') return undefined;
    if (!check.testable) {
      revealErrors();
      return undefined;
    }
    const run = {};
    const rootBucket = values.rootBucket.trim();
    setTest({ status: 'running', run, purpose });
    setSaveError(null);
    const result = await api.accounts.test({ draft: draftForTest(form) });
    const outcome: TestState = result.ok
      ? { status: 'passed', message: describeConnection(result.value, rootBucket, (d) => dateFormat.format(d)) }
      : { status: 'failed', error: result.error, purpose };
    let current = true;
    flushSync(() =>
      setTest((state) => {
        current = state.status === 'running' && state.run === run;
        return current ? outcome : state;
      }),
    );
    if (!current) return undefined;
    // Not through change(): filling in what the test found keeps the test's result.
    const next = result.ok ? withDetectedRegion(form, result.value) : form;
    if (next !== form) setForm(next);
    return { outcome, form: next };
  }

  /** Fetches the endpoint's certificate; from a failed test, then takes the person to the trust checkbox. */
  async function inspectCertificate(thenFocusTrust: boolean): Promise<void> {
    const endpoint = values.endpoint.trim();
    flushSync(() => {
      setAdvancedOpen(true);
      setCertificate({ status: 'loading', endpoint });
    });
    const result = await api.accounts.inspectCertificate({ endpoint });
    flushSync(() =>
      setCertificate(
        result.ok
          ? { status: 'shown', endpoint, certificate: result.value }
          : { status: 'failed', endpoint, error: result.error },
      ),
    );
    if (thenFocusTrust && result.ok) focusField('trustedCertificatePem');
  }

  const preset = providerPresets[values.provider];
  const isStatic = values.credentialSource === 'static';
  const keychainMissing = keychain !== null && !keychain.available;
  const profileChoices = profiles.profiles;
  const unknownProfile =
    values.profile !== '' && !profileChoices.some((p) => p.name === values.profile) && profiles.status !== 'loading';
  const formError = form.submitAttempted ? check.errors.form : undefined;
  const testing = test.status === 'running';
  const savingTest = test.status === 'running' && test.purpose === 'save';
  const waitReason = whyActionsWait(check);

  return (
    <>
      <div className="dialog__header">
        <div className="dialog__heading">
          <Dialog.Title className="dialog__title">{editing ? 'Edit account' : 'Add account'}</Dialog.Title>
          <Dialog.Description className="dialog__description">
            {editing
              ? `The settings of “${editing.name}”.`
              : keychainMissing
                ? 'Connect Amazon S3 or any S3-compatible service. No keychain was found on this computer: see below.'
                : 'Connect Amazon S3 or any S3-compatible service. Secrets go to the system keychain, never to a file.'}
          </Dialog.Description>
        </div>
        <Dialog.Close asChild>
          <IconButton label="Close" icon="close" />
        </Dialog.Close>
      </div>
      <form className="dialog__form" noValidate onSubmit={(event) => void submit(event)}>
        <div className="dialog__body">
          {keychainMissing ? <NoKeychainNote id={ids.keychainNote} reason={keychain.reason} /> : null}
          <div className="form-grid">
            <TextField label="Name" required data-autofocus autoComplete="off" {...textProps('name')} />
            <SelectField
              label="Provider"
              value={values.provider}
              id={fieldId('provider')}
              onValueChange={(value) => {
                if (!isProviderId(value)) return;
                setForm((state) => chooseProvider(state, value, accounts));
                changed('provider');
              }}
            >
              {providerIds.map((id) => (
                <option key={id} value={id}>
                  {providerPresets[id].label}
                </option>
              ))}
            </SelectField>

            <span id={ids.sourceLabel} className="form-label">
              Credentials source
            </span>
            <div className="form-control">
              <div
                role="radiogroup"
                aria-labelledby={ids.sourceLabel}
                aria-describedby={ids.sourceHint}
                className="radio-grid"
              >
                {credentialSources.map((source) => (
                  <label key={source} className="check">
                    <input
                      id={values.credentialSource === source ? fieldId('credentialSource') : undefined}
                      type="radio"
                      name="credential-source"
                      value={source}
                      checked={values.credentialSource === source}
                      onChange={() => {
                        setForm((state) => touchField(setField(state, 'credentialSource', source), 'credentialSource'));
                        changed('credentialSource');
                      }}
                    />
                    <span>{credentialSourceText[source].label}</span>
                  </label>
                ))}
              </div>
              <p id={ids.sourceHint} className="field-hint">
                {values.credentialSource === 'static' && keychainMissing
                  ? 'An access key ID and its secret. No keychain was found: the secret can be kept for this session only.'
                  : credentialSourceText[values.credentialSource].hint}
              </p>
            </div>

            {isStatic ? (
              <>
                <TextField label="Access key ID" required autoComplete="off" {...textProps('accessKeyId')} />
                <TextField
                  label="Secret access key"
                  type="password"
                  required={!editing}
                  autoComplete="off"
                  placeholder={editing?.hasSecret ? 'Leave empty to keep the stored secret' : undefined}
                  {...textProps('secretAccessKey')}
                />
                <TextField
                  label="Session token"
                  type="password"
                  autoComplete="off"
                  hint="Optional: only temporary credentials have one."
                  {...textProps('sessionToken')}
                />
                {keychainMissing || values.secretStorage === 'session' ? (
                  <CheckboxField
                    label="Keep the secret for this session only"
                    hint="The app forgets it when it quits, and asks for it again next time. It is never written to disk."
                    checked={values.secretStorage === 'session'}
                    error={error('secretStorage')}
                    id={fieldId('secretStorage')}
                    onCheckedChange={(checked) => {
                      setForm((state) =>
                        touchField(setField(state, 'secretStorage', checked ? 'session' : 'keychain'), 'secretStorage'),
                      );
                      changed('secretStorage');
                    }}
                  />
                ) : null}
              </>
            ) : null}

            {values.credentialSource === 'profile' ? (
              <SelectField
                label="Profile"
                required
                value={values.profile}
                error={error('profile')}
                id={fieldId('profile')}
                onBlur={() => setForm((state) => touchField(state, 'profile'))}
                hint={
                  profiles.status === 'failed' ? undefined : profiles.status === 'ready' &&
                    profileChoices.length === 0 ? (
                    <>
                      No profiles found in <code>~/.aws/config</code> or <code>~/.aws/credentials</code>.
                    </>
                  ) : (
                    'Where the profile sets a region or endpoint, the form takes them.'
                  )
                }
                onValueChange={(name) => {
                  const profile = profileChoices.find((p) => p.name === name);
                  setForm((state) => chooseProfile(state, profile));
                  changed('profile');
                }}
              >
                <option value="">{profiles.status === 'loading' ? 'Loading profiles…' : 'Choose a profile'}</option>
                {profileChoices.map((profile) => (
                  <option key={profile.name} value={profile.name}>
                    {profileLabel(profile)}
                  </option>
                ))}
                {unknownProfile ? <option value={values.profile}>{values.profile} (not found)</option> : null}
              </SelectField>
            ) : null}
            {values.credentialSource === 'profile' && profiles.status === 'failed' ? (
              <div className="form-control form-control--wide">
                <p role="alert" className="callout callout--danger">
                  {profiles.error.message}
                </p>
              </div>
            ) : null}

            <TextField
              label="Region"
              placeholder={preset.defaultRegion === '' ? 'Detect automatically' : preset.defaultRegion}
              hint={regionHints[values.provider] ?? 'Leave empty to detect it automatically.'}
              {...textProps('region')}
            />
            <TextField
              label="Endpoint"
              inputMode="url"
              required={values.provider !== 'aws'}
              placeholder={preset.endpointPattern || (values.provider === 'aws' ? 'Amazon S3' : 'https://')}
              hint={preset.hint}
              {...textProps('endpoint')}
            />
            <CheckboxField
              label="Path-style addressing"
              hint="Requests go to endpoint/bucket rather than bucket.endpoint; most self-hosted servers need it."
              checked={values.pathStyle}
              id={fieldId('pathStyle')}
              onCheckedChange={(checked) => change('pathStyle', checked)}
            />
          </div>

          <Collapsible.Root open={advancedOpen} onOpenChange={setAdvancedOpen} className="form-section">
            <Collapsible.Trigger className="disclosure">
              <Icon name="chevron-right" className="disclosure__icon" />
              Advanced
            </Collapsible.Trigger>
            <Collapsible.Content className="form-grid form-section__content">
              <TextField
                label="Share-links host"
                inputMode="url"
                placeholder="https://files.example.com"
                hint="The public address share links point to, where the app reaches the service at a private one."
                {...textProps('shareHost')}
              />
              <TextField
                label="Root bucket"
                hint="The bucket the account opens in; the connection test checks it where listing buckets is not allowed."
                {...textProps('rootBucket')}
              />
              <TextField
                label="Root prefix"
                placeholder="reports/2025/"
                hint="The folder inside the root bucket to open."
                {...textProps('rootPrefix')}
              />
              <TextField
                label="CA certificate file"
                placeholder="/etc/ssl/certs/my-ca.pem"
                hint="A PEM file with the certificate authority of a self-hosted server."
                {...textProps('caCertFile')}
              />
              {isHttpsEndpoint(values.endpoint) || values.trustedCertificatePem !== '' ? (
                <CertificateSection
                  endpoint={values.endpoint.trim()}
                  state={certificate}
                  trustedPem={values.trustedCertificatePem}
                  savedPem={editing?.trustedCertificatePem ?? ''}
                  onInspect={() => void inspectCertificate(false)}
                  onTrustedPemChange={(pem) => change('trustedCertificatePem', pem)}
                  trustId={fieldId('trustedCertificatePem')}
                />
              ) : null}
            </Collapsible.Content>
          </Collapsible.Root>
          {formError ? (
            <p role="alert" className="callout callout--danger">
              {formError}
            </p>
          ) : null}
        </div>

        <div className="dialog__footer">
          <div className="dialog__messages">
            <p id={ids.testStatus} role="status" className="test-status" data-state={test.status}>
              {test.status === 'running' ? (
                <>
                  <Icon name="spinner" className="icon--spin" />
                  <span>{test.purpose === 'save' ? 'Testing the connection before saving…' : 'Testing…'}</span>
                </>
              ) : test.status === 'passed' ? (
                <>
                  <Icon name="success" />
                  <span>{test.message}</span>
                </>
              ) : null}
            </p>
            {test.status === 'failed' ? (
              <div role="alert" className="callout callout--danger">
                <Icon name="alert" />
                <div className="callout__body">
                  {test.purpose === 'save' ? (
                    <p className="callout__title">Not saved: the connection test failed.</p>
                  ) : null}
                  <p>{test.error.message}</p>
                  {test.purpose === 'save' ? (
                    <p>
                      Correct the settings and save again, or save the account as it is and fix it later (its buckets
                      will not show until it connects).
                    </p>
                  ) : null}
                  <div className="callout__actions">
                    {test.error.code === 'certificate-untrusted' && isHttpsEndpoint(values.endpoint) ? (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => void inspectCertificate(true)}
                      >
                        <Icon name="certificate" />
                        Inspect certificate
                      </button>
                    ) : null}
                    {test.purpose === 'save' ? (
                      <button
                        type="button"
                        className="button button--small"
                        aria-disabled={!check.valid || saving || undefined}
                        aria-describedby={!check.valid && waitReason ? ids.waitReason : undefined}
                        onClick={() => void saveUntested()}
                      >
                        Save anyway
                      </button>
                    ) : null}
                  </div>
                </div>
              </div>
            ) : null}
            {saveError ? (
              <div role="alert" className="callout callout--danger">
                <Icon name="alert" />
                <p className="callout__body">{saveError.message}</p>
              </div>
            ) : null}
            {waitReason ? (
              <p id={ids.waitReason} className="field-hint dialog__wait-reason">
                {waitReason}
              </p>
            ) : null}
          </div>
          <div className="dialog__buttons">
            <button
              type="button"
              className="button"
              // Like Save: pressing it while something it needs is wrong shows what.
              aria-disabled={testing || !check.testable || undefined}
              aria-describedby={testing ? ids.testStatus : !check.testable && waitReason ? ids.waitReason : undefined}
              onClick={() => void runTest('test')}
            >
              Test connection
            </button>
            <span className="dialog__spacer" />
            <Dialog.Close asChild>
              <button type="button" className="button">
                Cancel
              </button>
            </Dialog.Close>
            <button
              type="submit"
              className="button button--primary"
              // aria-disabled rather than disabled: the button stays focusable, and pressing it
              // shows every problem and goes to the first one instead of doing nothing.
              aria-disabled={!check.valid || saving || testing || undefined}
              // What holds it up, visible beside it: a test running, or what the form still needs.
              aria-describedby={testing ? ids.testStatus : !check.valid && waitReason ? ids.waitReason : undefined}
            >
              {saving ? 'Saving…' : savingTest ? 'Testing…' : 'Save'}
            </button>
          </div>
        </div>
      </form>
    </>
  );
}

/**
 * Said at the top of the form where the system has no keychain: what that means and the
 * choices there are, before anything looks disabled.
 */
function NoKeychainNote({ id, reason }: { id: string; reason: string | null }) {
  return (
    <div id={id} className="callout callout--warning keychain-note">
      <Icon name="alert" />
      <div className="callout__body">
        <p className="callout__title">No keychain found</p>
        <p>{reason ?? defaultErrorMessages['keychain-unavailable']}</p>
        <ul className="keychain-note__choices">
          <li>
            <strong>Keep the secret for this session only</strong> (the box under the keys): the app forgets it when it
            quits and asks for it again next time. It is never written to disk.
          </li>
          <li>
            <strong>Start a keychain</strong>: on Linux, GNOME Keyring or KWallet (for example install{' '}
            <code>gnome-keyring</code> and log in again), then restart the app.
          </li>
          <li>
            <strong>Use an AWS profile or environment variables</strong>: they keep no secret in the app.
          </li>
        </ul>
      </div>
    </div>
  );
}
