import type { S3Client } from '@aws-sdk/client-s3';
import type { ProviderId } from '../../../shared/accounts';
import {
  capabilitiesFromSeed,
  capabilityIds,
  capabilityLabels,
  capabilitySeeds,
  type CapabilityId,
  type EtagRules,
  type ServiceCapabilities,
} from '../../../shared/capabilities';
import type { AccountService } from '../accounts/account-service';
import type { EventBus } from '../event-bus';
import { serviceLacksFeature, unavailableReason } from './availability';
import { probeBucket, type ProbeFinding } from './probes';

/** What the capability service needs from the rest of the app. */
export interface CapabilityDependencies {
  /** The provider preset and endpoint of an account: a change of either starts the model afresh. */
  identityOf(accountId: string): Promise<{ provider: ProviderId; endpoint: string }>;
  clientForBucket(accountId: string, bucket: string): Promise<S3Client>;
  /** A client that only signs (for the POST-form probe), on the account's own endpoint. */
  presignerForBucket(accountId: string, bucket: string): Promise<S3Client>;
  /** Told when what is known of an account (bucket null) or a bucket changed, so views can refresh. */
  changed(accountId: string, bucket: string | null): void;
  /** Runs the probes of one bucket; tests pass their own. */
  probe?: typeof probeBucket;
}

/** What one account's model holds: the account-wide model, and each probed bucket's. */
interface AccountModel {
  identity: string;
  account: ServiceCapabilities;
  buckets: Map<string, Promise<ServiceCapabilities>>;
}

/** Features probed per bucket (the rest come from the preset or from the service's answers). */
const PROBED: readonly CapabilityId[] = [
  'versioning',
  'objectLock',
  'tagging',
  'acl',
  'listParts',
  'listMultipartUploads',
  'postPolicy',
  'bucketPolicy',
  'publicAccessBlock',
  'defaultEncryption',
  'bucketTagging',
];

/**
 * Answers that concern one bucket only (AWS's "bucket owner enforced" turns ACLs off per
 * bucket); every other "not supported" answer is taken as the whole service's.
 */
function concernsBucketOnly(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'AccessControlListNotSupported';
}

/**
 * A deep copy of a model, so callers never change the cache. By hand: structuredClone took 12 µs
 * a call (this takes 0.8), and each upload asks once (in a profile of 1,000 small files up, 32
 * ms of the event loop). Every member is a primitive but these: a new object member is copied here too.
 */
function copyOf(model: ServiceCapabilities): ServiceCapabilities {
  const features = {} as ServiceCapabilities['features'];
  for (const id of capabilityIds) features[id] = { ...model.features[id] };
  return { ...model, features, etag: { ...model.etag }, storageClasses: [...model.storageClasses] };
}

/**
 * The capability model of every account, for the session: the preset's seed, each bucket's
 * probes (run once, on first use), and what the service's answers teach (`lacks`, `learnEtag`).
 * Memory only: probes are a handful of cheap requests, and a service can change (an upgrade, a
 * new endpoint), so a new session finds out again.
 */
export function createCapabilityService(deps: CapabilityDependencies) {
  const models = new Map<string, AccountModel>();
  const probe = deps.probe ?? probeBucket;

  async function modelOf(accountId: string): Promise<AccountModel> {
    const { provider, endpoint } = await deps.identityOf(accountId);
    const identity = `${provider} ${endpoint}`;
    let model = models.get(accountId);
    if (!model || model.identity !== identity) {
      model = { identity, account: capabilitiesFromSeed(capabilitySeeds[provider]), buckets: new Map() };
      models.set(accountId, model);
    }
    return model;
  }

  /** Applies what the account-wide model knows onto a bucket's (the account's word wins where it says 'no'). */
  function withAccountKnowledge(bucketModel: ServiceCapabilities, account: ServiceCapabilities): ServiceCapabilities {
    const merged = copyOf(bucketModel);
    for (const id of capabilityIds) {
      if (account.features[id].support === 'no' || merged.features[id].support === 'unknown') {
        merged.features[id] = { ...account.features[id] };
      }
    }
    for (const part of ['singlePart', 'multipart'] as const) {
      if (account.etag[part] !== 'unknown') merged.etag = { ...merged.etag, [part]: account.etag[part] };
    }
    return merged;
  }

  async function probedBucket(accountId: string, bucket: string, model: AccountModel): Promise<ServiceCapabilities> {
    const base = copyOf(model.account);
    const wanted = PROBED.filter((id) => base.features[id].support === 'unknown');
    if (wanted.length === 0) return base;
    let findings: Partial<Record<CapabilityId, ProbeFinding>> = {};
    try {
      findings = await probe(
        await deps.clientForBucket(accountId, bucket),
        await deps.presignerForBucket(accountId, bucket),
        bucket,
        wanted,
      );
    } catch {
      // A probe that cannot even start (no credentials, say) teaches nothing; features stay 'unknown'.
    }
    for (const [id, finding] of Object.entries(findings) as [CapabilityId, ProbeFinding][]) {
      if (finding) base.features[id] = { ...finding, source: 'probe' };
    }
    return base;
  }

  /** A bucket's own model (probed once), and the account's. */
  async function modelsOf(accountId: string, bucket: string) {
    const model = await modelOf(accountId);
    let pending = model.buckets.get(bucket);
    if (!pending) {
      pending = probedBucket(accountId, bucket, model);
      model.buckets.set(bucket, pending);
    }
    return { bucketModel: await pending, account: model.account };
  }

  async function forBucket(accountId: string, bucket: string): Promise<ServiceCapabilities> {
    const { bucketModel, account } = await modelsOf(accountId, bucket);
    return withAccountKnowledge(bucketModel, account);
  }

  /** Marks a feature missing, for the bucket only or the whole service. */
  async function markMissing(accountId: string, bucket: string | null, id: CapabilityId, reason: string) {
    const model = await modelOf(accountId);
    if (bucket === null) {
      if (model.account.features[id].support === 'no') return;
      model.account.features[id] = { support: 'no', reason, source: 'service' };
    } else {
      const bucketModel = await forBucket(accountId, bucket);
      if (bucketModel.features[id].support === 'no') return;
      bucketModel.features[id] = { support: 'no', reason, source: 'service' };
      model.buckets.set(bucket, Promise.resolve(bucketModel));
    }
    deps.changed(accountId, bucket);
  }

  return {
    /** The model of one bucket: the account's, completed by this bucket's probes (run once). */
    forBucket,

    /**
     * Whether a feature is known to work in a bucket, as forBucket would say, without copying the
     * model: for a question asked once per file of a folder.
     */
    async supports(accountId: string, bucket: string, id: CapabilityId): Promise<boolean> {
      const { bucketModel, account } = await modelsOf(accountId, bucket);
      const own = bucketModel.features[id].support;
      const merged = account.features[id].support === 'no' || own === 'unknown' ? account.features[id].support : own;
      return merged === 'yes';
    },

    /** The account-wide model (the preset and what the service's answers taught), without probes. */
    async forAccount(accountId: string): Promise<ServiceCapabilities> {
      return copyOf((await modelOf(accountId)).account);
    },

    /**
     * Reads an error for a missing feature: where the service says it lacks it (NotImplemented,
     * 501, 405, bucket-owner-enforced ACLs), records that and returns the sentence to show;
     * otherwise undefined, and the error stays an error.
     */
    async lacks(
      accountId: string,
      bucket: string | null,
      id: CapabilityId,
      error: unknown,
    ): Promise<string | undefined> {
      if (!serviceLacksFeature(error)) return undefined;
      const reason =
        unavailableReason(error, capabilityLabels[id]) ?? `This service does not support ${capabilityLabels[id]}.`;
      await markMissing(accountId, concernsBucketOnly(error) ? bucket : null, id, reason);
      return reason;
    },

    /** Records that the service lacks a feature, from what an answer showed (an encryption header it ignored). */
    learnMissing: markMissing,

    /** Records what an upload showed about the service's ETags (service-wide). */
    async learnEtag(accountId: string, rules: Partial<EtagRules>): Promise<void> {
      const model = await modelOf(accountId);
      const before = JSON.stringify(model.account.etag);
      model.account.etag = { ...model.account.etag, ...rules };
      if (JSON.stringify(model.account.etag) !== before) deps.changed(accountId, null);
    },

    /** Forgets an account's model (its settings changed or it was removed). */
    forget(accountId: string): void {
      models.delete(accountId);
    },
  };
}

/** The capability service's interface. */
export type CapabilityService = ReturnType<typeof createCapabilityService>;

/** The capability service of an account service, announcing what it learns on the event bus. */
export function capabilitiesForAccounts(
  accounts: Pick<AccountService, 'settingsOf' | 'clientForBucket' | 'presignerForBucket'>,
  bus: EventBus,
): CapabilityService {
  return createCapabilityService({
    identityOf: async (accountId) => {
      const settings = await accounts.settingsOf(accountId);
      return { provider: settings.provider, endpoint: settings.endpoint };
    },
    clientForBucket: (accountId, bucket) => accounts.clientForBucket(accountId, bucket),
    presignerForBucket: (accountId, bucket) => accounts.presignerForBucket(accountId, bucket, { shareHost: false }),
    changed: (accountId, bucket) => bus.emit('capabilities.changed', { accountId, bucket }),
  });
}
