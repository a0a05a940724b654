import { describe, expect, it } from 'vitest';
import { requests } from '../../../shared/contract';
import { activityRules } from './activity-rules';

describe('activityRules', () => {
  it('says, for every request channel of the contract, whether and how it is recorded', () => {
    const channels = Object.keys(requests).sort();
    const ruled = Object.keys(activityRules).sort();
    // A channel missing here would change things without a trace in the activity log.
    expect(channels.filter((channel) => !ruled.includes(channel))).toEqual([]);
    expect(ruled.filter((channel) => !channels.includes(channel))).toEqual([]);
    for (const channel of channels) {
      const rule = activityRules[channel as keyof typeof activityRules];
      expect(rule.record ? typeof rule.describe : rule.because, channel).toMatch(/^(function|reads|controls)$/);
    }
  });

  it('records the changes the issue lists', () => {
    for (const channel of [
      'transfers.upload',
      'transfers.download',
      'objects.delete',
      'objects.transfer',
      'objects.rename',
      'details.editObjects',
      'share.getLinks',
      'share.putLink',
      'share.postPolicy',
      'share.dropBox',
      'transfers.saveSettings',
      'accounts.save',
      'sse.setKey',
    ] as const) {
      expect(activityRules[channel].record, channel).toBe(true);
    }
  });

  it('names long key lists briefly and cuts long keys', () => {
    const rule = activityRules['objects.delete'];
    if (!rule.record) throw new Error('objects.delete is a change');
    const keys = ['a.txt', 'b,c.txt', `${'x'.repeat(500)}.bin`, 'd.txt', 'e.txt'];
    const { what } = rule.describe({ accountId: 'a', bucket: 'photos', keys }, undefined);
    expect(what).toMatch(/^Delete a\.txt, b,c\.txt, x+…x+\.bin and 2 more from photos$/);
    expect(what.length).toBeLessThan(300);
  });

  it("names an account's endpoint by its host only, never a password in it", () => {
    const rule = activityRules['accounts.save'];
    if (!rule.record) throw new Error('accounts.save is a change');
    const description = rule.describe(
      {
        draft: {
          name: 'Home',
          provider: 'minio',
          credentialSource: 'keys',
          accessKeyId: 'AKIDEXAMPLE',
          secretAccessKey: 'hunter2-secret-value',
          profile: '',
          region: '',
          endpoint: 'https://user:pass-word-1@minio.example:9000',
          pathStyle: true,
          shareHost: '',
          rootBucket: '',
          rootPrefix: '',
          caCertFile: '',
          trustedCertificatePem: '',
          secretStorage: 'keychain',
        } as never,
      },
      undefined,
    );
    expect(description.what).toBe('Add the account Home (minio.example:9000)');
    expect(JSON.stringify(description)).not.toMatch(/hunter2|pass-word/);
  });
});
