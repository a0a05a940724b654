import {
  accountDraftSchema,
  draftFromPreset,
  providerPresets,
  type AccountDraft,
  type AccountSummary,
  type AwsProfileSummary,
  type ConnectionTestReport,
  type KeychainStatus,
  type ProviderId,
} from '../../../shared/accounts';

/** A field of the account form, named as in the draft it produces. */
export type AccountField = Exclude<keyof AccountDraft, 'id'>;

/** What the form holds: every draft field, none optional (empty strings stand for "not set"). */
export type AccountFormValues = { [K in AccountField]-?: Exclude<AccountDraft[K], undefined> };

/**
 * The account form's state. It is the only place in the renderer that ever holds a secret,
 * and it lives inside the dialog, so closing the dialog drops it.
 */
export interface AccountFormState {
  /** The saved account being edited, or null for a new one. */
  editing: AccountSummary | null;
  values: AccountFormValues;
  /** The person typed a name: choosing another provider no longer suggests one. */
  nameEdited: boolean;
  /** Fields the person has left (or changed, for choices): their errors may show. */
  touched: Partial<Record<AccountField, true>>;
  /** Save was tried: every error may show. */
  submitAttempted: boolean;
}

/** The provider a new account starts with. */
export const DEFAULT_PROVIDER: ProviderId = 'aws';

/** What the form is checked against besides the schema: the other accounts and the keychain. */
export interface AccountFormContext {
  accounts: readonly AccountSummary[];
  /** Null while it is being asked for. */
  keychain: KeychainStatus | null;
}

/** What checking the form found. */
export interface AccountFormCheck {
  /** The first problem of each field; `form` holds problems no field shows (rare: schema paths the form has no field for). */
  errors: Partial<Record<AccountField | 'form', string>>;
  /** Save may be sent. */
  valid: boolean;
  /** A connection test may be sent: everything a connection needs is valid (the name is not). */
  testable: boolean;
}

/** The name a new account suggests: the provider's name, numbered when an account already has it. */
export function suggestAccountName(label: string, accounts: readonly AccountSummary[], excludeId?: string): string {
  const taken = new Set(accounts.filter((a) => a.id !== excludeId).map((a) => a.name.trim().toLowerCase()));
  if (!taken.has(label.toLowerCase())) return label;
  for (let n = 2; ; n++) if (!taken.has(`${label} ${n}`.toLowerCase())) return `${label} ${n}`;
}

/** A blank form for a new account, filled from the default provider's preset. */
export function newAccountForm(
  accounts: readonly AccountSummary[],
  provider: ProviderId = DEFAULT_PROVIDER,
): AccountFormState {
  const values = valuesOf(draftFromPreset(provider));
  return {
    editing: null,
    values: { ...values, name: suggestAccountName(providerPresets[provider].label, accounts) },
    nameEdited: false,
    touched: {},
    submitAttempted: false,
  };
}

/** A form for editing a saved account: its settings, and an empty secret (empty keeps the stored one). */
export function editAccountForm(account: AccountSummary): AccountFormState {
  const { id: _id, hasSecret: _hasSecret, origin: _origin, ...settings } = account;
  return {
    editing: account,
    values: { ...settings, secretAccessKey: '', sessionToken: '' },
    nameEdited: true,
    touched: {},
    submitAttempted: false,
  };
}

function valuesOf(draft: AccountDraft): AccountFormValues {
  const { id: _id, secretAccessKey = '', sessionToken = '', ...rest } = draft;
  return { ...rest, secretAccessKey, sessionToken };
}

/** Sets one field as the person typed or chose it. */
export function setField<K extends AccountField>(
  state: AccountFormState,
  field: K,
  value: AccountFormValues[K],
): AccountFormState {
  return {
    ...state,
    values: { ...state.values, [field]: value },
    nameEdited: state.nameEdited || field === 'name',
  };
}

/** Marks a field as visited, so its error may show. */
export function touchField(state: AccountFormState, field: AccountField): AccountFormState {
  return state.touched[field] ? state : { ...state, touched: { ...state.touched, [field]: true } };
}

/**
 * Switches the provider: endpoint, region and path-style come from its preset. The name
 * follows the provider only while the person has not typed one.
 */
export function chooseProvider(
  state: AccountFormState,
  provider: ProviderId,
  accounts: readonly AccountSummary[],
): AccountFormState {
  const preset = draftFromPreset(provider);
  const values: AccountFormValues = {
    ...state.values,
    provider,
    endpoint: preset.endpoint,
    region: preset.region,
    pathStyle: preset.pathStyle,
  };
  if (!state.nameEdited) values.name = suggestAccountName(providerPresets[provider].label, accounts, state.editing?.id);
  return touchField({ ...state, values }, 'provider');
}

/** Picks an AWS profile; its region and endpoint fill the form where the profile has them. */
export function chooseProfile(state: AccountFormState, profile: AwsProfileSummary | undefined): AccountFormState {
  const values: AccountFormValues = { ...state.values, profile: profile?.name ?? '' };
  if (profile?.region) values.region = profile.region;
  if (profile?.endpoint) values.endpoint = profile.endpoint;
  return touchField({ ...state, values }, 'profile');
}

/** Records a save attempt: from now on every error shows. */
export function attemptSubmit(state: AccountFormState): AccountFormState {
  return state.submitAttempted ? state : { ...state, submitAttempted: true };
}

/**
 * The draft the form submits. Fields that do not belong to the chosen credential source are
 * emptied, so a secret typed before switching to a profile is never sent; on an edit an
 * empty secret is left out, which keeps the stored one.
 */
export function draftFromForm(state: AccountFormState): AccountDraft {
  const { secretAccessKey, sessionToken, ...values } = state.values;
  const isStatic = values.credentialSource === 'static';
  const draft: AccountDraft = {
    ...values,
    accessKeyId: isStatic ? values.accessKeyId : '',
    profile: values.credentialSource === 'profile' ? values.profile : '',
    // Only typed-in keys have a secret to keep; the others always use the (unused) default.
    secretStorage: isStatic ? values.secretStorage : 'keychain',
  };
  if (state.editing) draft.id = state.editing.id;
  if (isStatic && (secretAccessKey !== '' || !state.editing)) {
    draft.secretAccessKey = secretAccessKey;
    draft.sessionToken = sessionToken;
  }
  return draft;
}

// The service never stores or shows the name of a tested draft; it must only pass the schema.
const TEST_NAME = 'Connection test';

/** The draft a connection test sends: the form's, with a stand-in name (a name is not needed to connect). */
export function draftForTest(state: AccountFormState): AccountDraft {
  return { ...draftFromForm(state), name: TEST_NAME };
}

const formFields = new Set<string>(Object.keys(draftFromPreset(DEFAULT_PROVIDER)));

/** Checks the form: the shared schema (the same one main applies), then what only the renderer can check. */
export function checkAccountForm(state: AccountFormState, context: AccountFormContext): AccountFormCheck {
  const errors: AccountFormCheck['errors'] = {};
  const add = (field: AccountField | 'form', message: string): void => {
    errors[field] ??= message;
  };

  const parsed = accountDraftSchema.safeParse(draftFromForm(state));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      add(typeof field === 'string' && formFields.has(field) ? (field as AccountField) : 'form', issue.message);
    }
  }

  const name = state.values.name.trim().toLowerCase();
  const clash = context.accounts.find((a) => a.id !== state.editing?.id && a.name.trim().toLowerCase() === name);
  if (name !== '' && clash) add('name', `An account named “${clash.name}” already exists. Choose another name.`);

  const isStatic = state.values.credentialSource === 'static';
  if (isStatic && state.editing && !state.editing.hasSecret && state.values.secretAccessKey === '') {
    add('secretAccessKey', 'No secret is stored for this account. Enter the secret access key.');
  }
  const keychainMissing = context.keychain !== null && !context.keychain.available;
  if (isStatic && keychainMissing && state.values.secretStorage !== 'session') {
    add('secretStorage', 'No keychain is available: keep the secret for this session only to save the account.');
  }

  const blocking = Object.keys(errors);
  return {
    errors,
    valid: blocking.length === 0,
    testable: blocking.every((field) => field === 'name' || field === 'secretStorage'),
  };
}

/** The error to show under a field: only once the field was visited, or after a save attempt. */
export function visibleError(
  state: AccountFormState,
  check: AccountFormCheck,
  field: AccountField,
): string | undefined {
  return state.submitAttempted || state.touched[field] ? check.errors[field] : undefined;
}

/** Fields in the order the form shows them: a save attempt focuses the first one with an error. */
export const fieldOrder: readonly AccountField[] = [
  'name',
  'provider',
  'credentialSource',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'secretStorage',
  'profile',
  'region',
  'endpoint',
  'pathStyle',
  'shareHost',
  'rootBucket',
  'rootPrefix',
  'caCertFile',
  'trustedCertificatePem',
];

/** Fields inside the form's "Advanced" disclosure, which opens when one of them has an error. */
export const advancedFields: ReadonlySet<AccountField> = new Set([
  'shareHost',
  'rootBucket',
  'rootPrefix',
  'caCertFile',
  'trustedCertificatePem',
]);

/** The first field with an error, in the order the form shows them. */
export function firstInvalidField(check: AccountFormCheck): AccountField | undefined {
  return fieldOrder.find((field) => check.errors[field] !== undefined);
}

/** Each field's label, as the form shows it. */
export const fieldLabels: Record<AccountField, string> = {
  name: 'Name',
  provider: 'Provider',
  credentialSource: 'Credentials source',
  accessKeyId: 'Access key ID',
  secretAccessKey: 'Secret access key',
  sessionToken: 'Session token',
  secretStorage: 'Keep the secret for this session only',
  profile: 'Profile',
  region: 'Region',
  endpoint: 'Endpoint',
  pathStyle: 'Path-style addressing',
  shareHost: 'Share-links host',
  rootBucket: 'Root bucket',
  rootPrefix: 'Root prefix',
  caCertFile: 'CA certificate file',
  trustedCertificatePem: 'Trust this certificate for this account',
};

/**
 * Why Test connection or Save cannot act yet, in words shown beside them (and tied to them with
 * aria-describedby), so that a button that looks disabled always says why; null when both can.
 */
export function whyActionsWait(check: AccountFormCheck): string | null {
  const fields = fieldOrder.filter((field) => field !== 'secretStorage' && check.errors[field] !== undefined);
  const sentences: string[] = [];
  if (fields.length > 0) {
    // The name alone does not hold up a test.
    const what = check.testable ? 'To save' : 'To test or save';
    sentences.push(`${what}, fill in or correct: ${fields.map((field) => fieldLabels[field]).join(', ')}.`);
  }
  if (check.errors.secretStorage !== undefined) {
    sentences.push(
      `No keychain was found: to save, tick “${fieldLabels.secretStorage}”, or choose a credentials source that stores no secret.`,
    );
  }
  if (check.errors.form !== undefined && sentences.length === 0)
    sentences.push(`To save, correct this: ${check.errors.form}`);
  return sentences.length > 0 ? sentences.join(' ') : null;
}

const profileKinds: Record<AwsProfileSummary['kind'], string> = {
  static: 'access keys',
  sso: 'SSO',
  'assume-role': 'assumed role',
  process: 'credential process',
  other: 'other',
};

/** How a profile is listed: its name and how it gets credentials, e.g. "work (SSO)". */
export function profileLabel(profile: AwsProfileSummary): string {
  return `${profile.name} (${profileKinds[profile.kind]})`;
}

/** Says what a passed connection test found, e.g. "Connection works: 3 buckets." */
export function describeConnection(
  report: ConnectionTestReport,
  rootBucket: string,
  formatDate: (date: Date) => string,
): string {
  let text: string;
  if (report.method === 'HeadBucket') {
    text = `Connection works: bucket ${rootBucket || '(root)'} is reachable`;
    if (report.region) text += ` in ${report.region}`;
  } else if (report.bucketCount === null) {
    text = 'Connection works';
  } else {
    text = `Connection works: ${report.bucketCount} ${report.bucketCount === 1 ? 'bucket' : 'buckets'}`;
  }
  text += '.';
  if (report.detectedRegion) text += ` The service's region, ${report.detectedRegion}, was detected and filled in.`;
  if (report.credentialsExpireAt) {
    const expires = new Date(report.credentialsExpireAt);
    if (!Number.isNaN(expires.getTime())) text += ` These credentials expire on ${formatDate(expires)}.`;
  }
  return text;
}

/** Fills in the region a connection test detected, where the form's region is (still) empty. */
export function withDetectedRegion(state: AccountFormState, report: ConnectionTestReport): AccountFormState {
  if (!report.detectedRegion || state.values.region.trim() !== '') return state;
  return setField(state, 'region', report.detectedRegion);
}

/** Tells whether an endpoint is an https URL, whose server certificate can be inspected. */
export function isHttpsEndpoint(endpoint: string): boolean {
  try {
    const url = new URL(endpoint.trim());
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}

/** What removing an account does to its secret (and not to its buckets), in words. */
export function removalConsequence(account: Pick<AccountSummary, 'credentialSource' | 'secretStorage'>): string {
  if (account.credentialSource !== 'static') return 'Nothing in the bucket is touched.';
  const secret =
    account.secretStorage === 'session'
      ? 'Its secret, kept for this session only, is forgotten.'
      : 'Its secret is deleted from the keychain.';
  return `${secret} Nothing in the bucket is touched.`;
}
