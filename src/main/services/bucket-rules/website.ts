import {
  DeleteBucketWebsiteCommand,
  GetBucketWebsiteCommand,
  PutBucketWebsiteCommand,
  type RoutingRule as S3RoutingRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsWebsiteUrl, type RoutingRule, type WebsiteConfig } from '../../../shared/bucket-rules';

/** The bucket's website configuration; null where it has none (NoSuchWebsiteConfiguration). */
export async function readWebsite(client: S3Client, bucket: string): Promise<WebsiteConfig | null> {
  try {
    const output = await client.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
    if (output.RedirectAllRequestsTo?.HostName) {
      const protocol = output.RedirectAllRequestsTo.Protocol;
      return {
        mode: 'redirect',
        hostName: output.RedirectAllRequestsTo.HostName,
        protocol: protocol === 'http' || protocol === 'https' ? protocol : '',
      };
    }
    if (!output.IndexDocument?.Suffix) return null;
    return {
      mode: 'serve',
      indexDocument: output.IndexDocument.Suffix,
      errorDocument: output.ErrorDocument?.Key ?? '',
      routingRules: (output.RoutingRules ?? []).map(routingRuleFromS3),
    };
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'NoSuchWebsiteConfiguration') return null;
    throw error;
  }
}

/** A routing rule as the app keeps it. */
function routingRuleFromS3(rule: S3RoutingRule): RoutingRule {
  const c = rule.Condition;
  const r = rule.Redirect;
  const protocol = r?.Protocol === 'http' || r?.Protocol === 'https' ? r.Protocol : undefined;
  return {
    ...(c?.KeyPrefixEquals !== undefined ? { keyPrefixEquals: c.KeyPrefixEquals } : {}),
    ...(c?.HttpErrorCodeReturnedEquals !== undefined
      ? { httpErrorCodeReturnedEquals: c.HttpErrorCodeReturnedEquals }
      : {}),
    ...(r?.HostName !== undefined ? { hostName: r.HostName } : {}),
    ...(protocol ? { protocol } : {}),
    ...(r?.ReplaceKeyPrefixWith !== undefined ? { replaceKeyPrefixWith: r.ReplaceKeyPrefixWith } : {}),
    ...(r?.ReplaceKeyWith !== undefined ? { replaceKeyWith: r.ReplaceKeyWith } : {}),
    ...(r?.HttpRedirectCode !== undefined ? { httpRedirectCode: r.HttpRedirectCode } : {}),
  };
}

/** A routing rule in S3's form. */
function routingRuleToS3(rule: RoutingRule): S3RoutingRule {
  const condition = {
    ...(rule.keyPrefixEquals !== undefined ? { KeyPrefixEquals: rule.keyPrefixEquals } : {}),
    ...(rule.httpErrorCodeReturnedEquals !== undefined
      ? { HttpErrorCodeReturnedEquals: rule.httpErrorCodeReturnedEquals }
      : {}),
  };
  return {
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    Redirect: {
      ...(rule.hostName !== undefined ? { HostName: rule.hostName } : {}),
      ...(rule.protocol !== undefined ? { Protocol: rule.protocol } : {}),
      ...(rule.replaceKeyPrefixWith !== undefined ? { ReplaceKeyPrefixWith: rule.replaceKeyPrefixWith } : {}),
      ...(rule.replaceKeyWith !== undefined ? { ReplaceKeyWith: rule.replaceKeyWith } : {}),
      ...(rule.httpRedirectCode !== undefined ? { HttpRedirectCode: rule.httpRedirectCode } : {}),
    },
  };
}

/** Writes the bucket's website configuration (PutBucketWebsite replaces it whole). */
export async function writeWebsite(client: S3Client, bucket: string, config: WebsiteConfig): Promise<void> {
  const WebsiteConfiguration =
    config.mode === 'redirect'
      ? {
          RedirectAllRequestsTo: {
            HostName: config.hostName,
            ...(config.protocol ? { Protocol: config.protocol } : {}),
          },
        }
      : {
          IndexDocument: { Suffix: config.indexDocument },
          ...(config.errorDocument ? { ErrorDocument: { Key: config.errorDocument } } : {}),
          ...(config.routingRules.length > 0 ? { RoutingRules: config.routingRules.map(routingRuleToS3) } : {}),
        };
  await client.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration }));
}

/** Turns the website off. */
export async function deleteWebsite(client: S3Client, bucket: string): Promise<void> {
  await client.send(new DeleteBucketWebsiteCommand({ Bucket: bucket }));
}

/**
 * Where the website is served, from the account's endpoint: AWS's website endpoints follow a
 * known pattern (dash or dot form by region); for any other endpoint none is known, and the
 * sentence says so rather than guess an address.
 */
export function websiteAddress(
  endpoint: string,
  bucket: string,
  region: string,
): { url: string | null; urlNote: string } {
  let host: string;
  try {
    host = endpoint ? new URL(endpoint).hostname : '';
  } catch {
    host = '';
  }
  if (endpoint === '' || host.endsWith('.amazonaws.com')) {
    return {
      url: awsWebsiteUrl(bucket, region),
      urlNote: 'The website endpoint serves plain HTTP; put CloudFront or another CDN in front of it for HTTPS.',
    };
  }
  return {
    url: null,
    urlNote:
      'No website address is known for this service: the app knows only AWS S3’s website endpoints. Ask the service ' +
      'which address serves bucket websites, if it has one.',
  };
}
