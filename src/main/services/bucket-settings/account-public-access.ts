import type { S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { PublicAccessBlockFlags } from '../../../shared/bucket-settings';
import { isAwsEndpoint } from '../s3/s3-client';
import { configOfFlags, flagsOfConfig } from './access-settings';

/**
 * The requests behind the account-wide part of Block Public Access. They are not S3's but S3
 * Control's (GET/PUT /v20180820/configuration/publicAccessBlock with an x-amz-account-id
 * header), and S3 Control needs the AWS account's ID, which the keys do not say: STS
 * GetCallerIdentity tells it to any valid keys, with no permission needed.
 */

/** The two clients an account-wide request needs, on the same connection as the bucket's S3 client. */
export interface AccountControlClients {
  sts: STSClient;
  control: S3ControlClient;
}

/**
 * STS and S3 Control clients that sign with the S3 client's own credentials, region and HTTP
 * handler (so a pinned certificate or custom CA applies to them too) and go to the same
 * service. On AWS the SDK's endpoint rules pick both hosts ({account}.s3-control.{region}
 * .amazonaws.com). Elsewhere both go to the account's endpoint as it is: the S3 Control rules
 * would put the account ID in front of the host (`123456789012.127.0.0.1` is no host at all),
 * so the endpoint is given as an `endpointProvider` that skips the rules; moto's server routes
 * an S3-signed request whose path starts with /v20180820/ to its S3 Control emulation, and STS
 * by the signing name. The clients share the S3 client's HTTP handler: they are never
 * destroyed, which would close its connections too.
 */
export async function accountControlClients(s3: S3Client, endpoint: string): Promise<AccountControlClients> {
  const region = await s3.config.region();
  const shared = {
    region,
    credentials: s3.config.credentials,
    requestHandler: s3.config.requestHandler,
    maxAttempts: 3,
  };
  if (isAwsEndpoint(endpoint)) return { sts: new STSClient(shared), control: new S3ControlClient(shared) };
  const url = new URL(endpoint);
  return {
    sts: new STSClient({ ...shared, endpoint }),
    control: new S3ControlClient({ ...shared, endpointProvider: () => ({ url }) }),
  };
}

/** The AWS account ID the keys belong to (STS GetCallerIdentity). */
export async function readAwsAccountId(sts: STSClient): Promise<string> {
  const account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
  if (!account) throw new Error('STS GetCallerIdentity answered without an account ID.');
  return account;
}

/** The account's switches, or null where it has no configuration (NoSuchPublicAccessBlockConfiguration: all off). */
export async function readAccountPublicAccessBlock(
  control: S3ControlClient,
  awsAccountId: string,
): Promise<PublicAccessBlockFlags | null> {
  try {
    const config = (await control.send(new GetPublicAccessBlockCommand({ AccountId: awsAccountId })))
      .PublicAccessBlockConfiguration;
    return config ? flagsOfConfig(config) : null;
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'NoSuchPublicAccessBlockConfiguration') return null;
    throw error;
  }
}

/** Sets the account's four switches (all off is a configuration with all four false, as the S3 console saves it). */
export async function writeAccountPublicAccessBlock(
  control: S3ControlClient,
  awsAccountId: string,
  flags: PublicAccessBlockFlags,
): Promise<void> {
  await control.send(
    new PutPublicAccessBlockCommand({
      AccountId: awsAccountId,
      PublicAccessBlockConfiguration: configOfFlags(flags),
    }),
  );
}
