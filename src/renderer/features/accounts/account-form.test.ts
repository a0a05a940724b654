import { describe, expect, it } from 'vitest';
import type { AccountSummary, KeychainStatus } from '../../../shared/accounts';
import { sampleAccount } from '../../test-support/sample-accounts';
import {
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
  removalConsequence,
  setField,
  suggestAccountName,
  touchField,
  visibleError,
  whyActionsWait,
  withDetectedRegion,
  type AccountFormState,
} from './account-form';

const keychainOk: KeychainStatus = { available: true, reason: null };
const noKeychain: KeychainStatus = { available: false, reason: 'No Secret Service.' };
const archive: AccountSummary = {
  ...sampleAccount({ id: 'archive', name: 'Archive', endpoint: 'http://127.0.0.1:9000' }),
  accessKeyId: 'AKIDARCHIVE',
};

/** A new MinIO form with everything a valid account needs. */
function validMinio(accounts: readonly AccountSummary[] = []): AccountFormState {
  let form = chooseProvider(newAccountForm(accounts), 'minio', accounts);
  form = setField(form, 'name', 'Team MinIO');
  form = setField(form, 'accessKeyId', 'AKIDEXAMPLE');
  return setField(form, 'secretAccessKey', 'secret-key');
}

const check = (form: AccountFormState, accounts: readonly AccountSummary[] = [], keychain = keychainOk) =>
  checkAccountForm(form, { accounts, keychain });

describe('a new account form', () => {
  it('starts from the AWS preset, named after the provider', () => {
    const form = newAccountForm([]);
    expect(form.values).toMatchObject({ name: 'Amazon S3', provider: 'aws', endpoint: '', credentialSource: 'static' });
    expect(form.values.secretAccessKey).toBe('');
    expect(form.editing).toBeNull();
  });

  it('numbers a suggested name that an account already has, whatever its case', () => {
    const taken = [sampleAccount({ id: 'a', name: 'minio', endpoint: '' })];
    expect(suggestAccountName('MinIO', taken)).toBe('MinIO 2');
    expect(suggestAccountName('MinIO', taken, 'a')).toBe('MinIO');
    expect(newAccountForm(taken, 'minio').values.name).toBe('MinIO 2');
  });

  it('refills endpoint, region and path-style from a chosen provider, and the name until one is typed', () => {
    let form = chooseProvider(newAccountForm([]), 'digitalocean', []);
    expect(form.values).toMatchObject({
      name: 'DigitalOcean Spaces',
      endpoint: 'https://nyc3.digitaloceanspaces.com',
      region: 'nyc3',
      pathStyle: false,
    });
    form = setField(form, 'name', 'Spaces for work');
    form = chooseProvider(form, 'minio', []);
    expect(form.values).toMatchObject({
      name: 'Spaces for work',
      endpoint: 'http://127.0.0.1:9000',
      // Empty, so detected: a MinIO takes any region.
      region: '',
      pathStyle: true,
    });
  });

  it('leaves the region empty (detected) where the service does not check it, and fills it where it does', () => {
    expect(newAccountForm([]).values.region).toBe('');
    for (const provider of ['minio', 'other'] as const) {
      expect(chooseProvider(newAccountForm([]), provider, []).values.region).toBe('');
    }
    expect(chooseProvider(newAccountForm([]), 'r2', []).values.region).toBe('auto');
    expect(chooseProvider(newAccountForm([]), 'b2', []).values).toMatchObject({
      region: 'us-west-004',
      endpoint: 'https://s3.us-west-004.backblazeb2.com',
    });
  });

  it('takes region and endpoint from a chosen profile where it has them', () => {
    let form = setField(newAccountForm([]), 'credentialSource', 'profile');
    form = chooseProfile(form, { name: 'work', kind: 'sso', region: 'eu-west-1', endpoint: null });
    expect(form.values).toMatchObject({ profile: 'work', region: 'eu-west-1', endpoint: '' });
    form = chooseProfile(form, { name: 'lab', kind: 'static', region: null, endpoint: 'https://s3.lab.example' });
    expect(form.values).toMatchObject({ profile: 'lab', region: 'eu-west-1', endpoint: 'https://s3.lab.example' });
    expect(chooseProfile(form, undefined).values.profile).toBe('');
  });
});

describe('editing an account', () => {
  it('shows its settings without a secret, and keeps the stored secret when none is typed', () => {
    const form = editAccountForm(archive);
    expect(form.values.name).toBe('Archive');
    expect(form.values.secretAccessKey).toBe('');
    expect(form.values).not.toHaveProperty('id');
    expect(form.values).not.toHaveProperty('hasSecret');
    const draft = draftFromForm(form);
    expect(draft.id).toBe('archive');
    expect(draft).not.toHaveProperty('secretAccessKey');
    expect(check(form, [archive]).valid).toBe(true);

    const withSecret = draftFromForm(setField(form, 'secretAccessKey', 'new-secret'));
    expect(withSecret).toMatchObject({ id: 'archive', secretAccessKey: 'new-secret', sessionToken: '' });
  });

  it('never changes the name when the provider changes', () => {
    expect(chooseProvider(editAccountForm(archive), 'aws', [archive]).values.name).toBe('Archive');
  });

  it('asks for a secret when the account has none stored', () => {
    const form = editAccountForm({ ...archive, hasSecret: false });
    expect(check(form, [archive]).errors.secretAccessKey).toMatch(/No secret is stored/);
  });
});

describe('the submitted draft', () => {
  it('leaves out keys typed before switching to another credential source', () => {
    const form = setField(validMinio(), 'credentialSource', 'environment');
    const draft = draftFromForm(form);
    expect(draft).toMatchObject({ credentialSource: 'environment', accessKeyId: '', profile: '' });
    expect(draft).not.toHaveProperty('secretAccessKey');
    expect(draft).not.toHaveProperty('sessionToken');
  });

  it('keeps a profile only for the profile source, and the secret storage only for keys', () => {
    let form = setField(validMinio(), 'profile', 'work');
    form = setField(form, 'secretStorage', 'session');
    expect(draftFromForm(form)).toMatchObject({ profile: '', secretStorage: 'session' });
    form = setField(form, 'credentialSource', 'profile');
    expect(draftFromForm(form)).toMatchObject({ profile: 'work', secretStorage: 'keychain' });
  });

  it('sends a connection test with a stand-in name, since a name is not needed to connect', () => {
    const form = setField(validMinio(), 'name', '');
    expect(draftForTest(form).name).not.toBe('');
    expect(check(form).testable).toBe(true);
    expect(check(form).valid).toBe(false);
  });
});

describe('checking the form', () => {
  it('passes a complete account', () => {
    expect(check(validMinio())).toEqual({ errors: {}, valid: true, testable: true });
  });

  it('reports empty required fields with the schema’s messages', () => {
    let form = chooseProvider(newAccountForm([]), 'minio', []);
    form = setField(form, 'name', '  ');
    form = setField(form, 'endpoint', '');
    const result = check(form);
    expect(result.errors).toMatchObject({
      name: 'Enter a name for this account.',
      endpoint: 'Enter the endpoint URL of this service.',
      accessKeyId: 'Enter the access key ID.',
      secretAccessKey: 'Enter the secret access key.',
    });
    expect(result.valid).toBe(false);
    expect(result.testable).toBe(false);
  });

  it('refuses an endpoint that is not a URL and a region with spaces', () => {
    for (const endpoint of ['localhost:9000', 'not a url', 'ftp://example.com']) {
      expect(check(setField(validMinio(), 'endpoint', endpoint)).errors.endpoint).toMatch(/must be a URL/);
    }
    expect(check(setField(validMinio(), 'region', 'us east 1')).errors.region).toMatch(/no spaces/);
    expect(check(setField(validMinio(), 'region', '')).valid).toBe(true);
  });

  it('refuses a name another account has, whatever its case, but not the edited account’s own', () => {
    const result = check(setField(validMinio(), 'name', ' ARCHIVE '), [archive]);
    expect(result.errors.name).toBe('An account named “Archive” already exists. Choose another name.');
    expect(result.valid).toBe(false);
    expect(result.testable).toBe(true);
    expect(check(setField(editAccountForm(archive), 'name', 'archive'), [archive]).valid).toBe(true);
  });

  it('asks to keep the secret for this session when there is no keychain', () => {
    const form = validMinio();
    const result = check(form, [], noKeychain);
    expect(result.errors.secretStorage).toMatch(/session only/);
    expect(result.valid).toBe(false);
    expect(result.testable).toBe(true);
    expect(check(setField(form, 'secretStorage', 'session'), [], noKeychain).valid).toBe(true);
    // Other sources store no secret, so they need no keychain.
    expect(check(setField(form, 'credentialSource', 'default-chain'), [], noKeychain).valid).toBe(true);
    // Unknown yet: saving is not held up (main still refuses without a keychain).
    expect(checkAccountForm(form, { accounts: [], keychain: null }).valid).toBe(true);
  });

  it('names the first problem in the order of the form', () => {
    let form = setField(validMinio(), 'shareHost', 'files.example.com');
    expect(firstInvalidField(check(form))).toBe('shareHost');
    form = setField(form, 'region', 'US-EAST');
    expect(firstInvalidField(check(form))).toBe('region');
    expect(firstInvalidField(check(validMinio()))).toBeUndefined();
  });
});

describe('why Test connection and Save wait', () => {
  it('says nothing when both can act', () => {
    expect(whyActionsWait(check(validMinio()))).toBeNull();
  });

  it('names the fields still needed, and whether a test is held up too', () => {
    const empty = chooseProvider(newAccountForm([]), 'minio', []);
    expect(whyActionsWait(check(empty))).toBe('To test or save, fill in or correct: Access key ID, Secret access key.');
    expect(whyActionsWait(check(setField(validMinio(), 'name', '')))).toBe('To save, fill in or correct: Name.');
  });

  it('says that no keychain was found and what to tick', () => {
    expect(whyActionsWait(check(validMinio(), [], noKeychain))).toBe(
      'No keychain was found: to save, tick “Keep the secret for this session only”, or choose a credentials source that stores no secret.',
    );
    expect(whyActionsWait(check(setField(validMinio(), 'secretStorage', 'session'), [], noKeychain))).toBeNull();
  });
});

describe('which errors show', () => {
  it('shows a field’s error once it was left, and every error after a save attempt', () => {
    const form = setField(setField(validMinio(), 'name', ''), 'accessKeyId', '');
    const result = check(form);
    expect(visibleError(form, result, 'name')).toBeUndefined();
    const touched = touchField(form, 'name');
    expect(visibleError(touched, result, 'name')).toBe('Enter a name for this account.');
    expect(visibleError(touched, result, 'accessKeyId')).toBeUndefined();
    const submitted = attemptSubmit(touched);
    expect(visibleError(submitted, result, 'accessKeyId')).toBe('Enter the access key ID.');
    expect(visibleError(submitted, result, 'region')).toBeUndefined();
  });

  it('marks a provider change as touched, so its consequences show at once', () => {
    const form = chooseProvider(validMinio(), 'r2', []);
    const result = check(form);
    expect(form.touched.provider).toBe(true);
    expect(result.errors.endpoint).toBe('Replace the {placeholder} in the endpoint.');
  });
});

describe('texts', () => {
  const format = (date: Date) => date.toISOString();

  it('says what a passed connection test found', () => {
    const listed = { method: 'ListBuckets', bucketCount: 3, region: null, credentialsExpireAt: null } as const;
    expect(describeConnection(listed, '', format)).toBe('Connection works: 3 buckets.');
    expect(describeConnection({ ...listed, bucketCount: 1 }, '', format)).toBe('Connection works: 1 bucket.');
    expect(describeConnection({ ...listed, bucketCount: null }, '', format)).toBe('Connection works.');
    expect(
      describeConnection(
        {
          method: 'HeadBucket',
          bucketCount: null,
          region: 'eu-central-1',
          credentialsExpireAt: '2030-01-02T03:04:05Z',
        },
        'reports',
        format,
      ),
    ).toBe(
      'Connection works: bucket reports is reachable in eu-central-1. These credentials expire on 2030-01-02T03:04:05.000Z.',
    );
  });

  it('says, and fills in, a region the test detected, where the form had none', () => {
    const report = {
      method: 'ListBuckets',
      bucketCount: 2,
      region: null,
      credentialsExpireAt: null,
      detectedRegion: 'eu-west-1',
    } as const;
    expect(describeConnection(report, '', format)).toBe(
      "Connection works: 2 buckets. The service's region, eu-west-1, was detected and filled in.",
    );
    const empty = setField(validMinio(), 'region', '');
    expect(withDetectedRegion(empty, report).values.region).toBe('eu-west-1');
    const typed = setField(validMinio(), 'region', 'us-west-2');
    expect(withDetectedRegion(typed, report)).toBe(typed);
    const { detectedRegion: _detected, ...undetected } = report;
    expect(withDetectedRegion(empty, undetected)).toBe(empty);
  });

  it('lists a profile with how it gets credentials', () => {
    expect(profileLabel({ name: 'work', kind: 'sso', region: null, endpoint: null })).toBe('work (SSO)');
    expect(profileLabel({ name: 'ci', kind: 'static', region: null, endpoint: null })).toBe('ci (access keys)');
  });

  it('offers certificate inspection for https endpoints only', () => {
    expect(isHttpsEndpoint(' https://minio.lan:9000 ')).toBe(true);
    expect(isHttpsEndpoint('http://minio.lan:9000')).toBe(false);
    expect(isHttpsEndpoint('https://')).toBe(false);
    expect(isHttpsEndpoint('')).toBe(false);
  });

  it('says what removing an account does to its secret', () => {
    expect(removalConsequence(archive)).toBe(
      'Its secret is deleted from the keychain. Nothing in the bucket is touched.',
    );
    expect(removalConsequence({ ...archive, secretStorage: 'session' })).toMatch(/session only, is forgotten/);
    expect(removalConsequence({ ...archive, credentialSource: 'profile' })).toBe('Nothing in the bucket is touched.');
  });
});
