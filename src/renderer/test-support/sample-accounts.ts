import { draftFromPreset, type AccountSummary } from '../../shared/accounts';

/** A complete account summary for renderer tests, from the few fields a test cares about. */
export function sampleAccount(fields: { id: string; name: string; endpoint: string }): AccountSummary {
  const { secretAccessKey: _secret, sessionToken: _token, ...draft } = draftFromPreset('minio');
  return { ...draft, ...fields, pathStyle: true, hasSecret: true, origin: 'saved' };
}
