import type { ObjectDetails } from '../../../shared/details';
import { formatSize, formatStorageClass } from '../browser/format';
import { formatLocation } from '../browser/parse-location';
import { DetailsSection, Muted, Property } from './property';

// Dates in the person's own locale and time zone, with the time.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function formatDate(iso: string | null): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** Server-side encryption in words: "None", "SSE-S3 (AES256)", "SSE-KMS", "SSE-C (customer key)". */
export function encryptionText(encryption: ObjectDetails['encryption']): string {
  if (encryption.customerKey) return 'SSE-C (customer key)';
  switch (encryption.algorithm) {
    case null:
      return 'None';
    case 'AES256':
      return 'SSE-S3 (AES256)';
    case 'aws:kms':
      return 'SSE-KMS';
    case 'aws:kms:dsse':
      return 'DSSE-KMS';
    default:
      return encryption.algorithm;
  }
}

function Value({ value, mono = false }: { value: string | null; mono?: boolean }) {
  if (value === null || value === '') return <Muted>Not set</Muted>;
  return mono ? <span className="details__mono">{value}</span> : <>{value}</>;
}

/**
 * Everything details.object says about one object, in sections: the object itself, its
 * headers, user metadata, tags and ACL. A part the service lacks says why, once.
 */
export function ObjectProperties({ details }: { details: ObjectDetails }) {
  const metadata = Object.entries(details.metadata).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <DetailsSection title="Object">
        <dl className="properties">
          <Property label="Key">{details.key}</Property>
          <Property label="Path">{formatLocation(details.bucket, details.key)}</Property>
          <Property label="Size">
            {formatSize(details.size)}
            {details.size >= 1024 ? ` (${details.size.toLocaleString()} bytes)` : ''}
          </Property>
          <Property label="Last modified">
            <Value value={formatDate(details.lastModified)} />
          </Property>
          <Property label="ETag" mono>
            <Value value={details.etag?.replace(/"/g, '') ?? null} />
          </Property>
          <Property label="Content type">
            <Value value={details.contentType} />
          </Property>
          <Property label="Storage class">{formatStorageClass(details.storageClass) || 'Standard'}</Property>
          <Property label="Version ID" mono>
            {details.versionId && details.versionId !== 'null' ? details.versionId : <Muted>None</Muted>}
          </Property>
          <Property label="Encryption">{encryptionText(details.encryption)}</Property>
          {details.encryption.kmsKeyId ? (
            <Property label="KMS key" mono>
              {details.encryption.kmsKeyId}
            </Property>
          ) : null}
          <Property label="Checksum" mono>
            {details.checksum ? `${details.checksum.algorithm} ${details.checksum.value}` : <Muted>None stored</Muted>}
          </Property>
        </dl>
      </DetailsSection>
      <DetailsSection title="Headers">
        <dl className="properties">
          <Property label="Cache-Control">
            <Value value={details.cacheControl} />
          </Property>
          <Property label="Content-Disposition">
            <Value value={details.contentDisposition} />
          </Property>
          <Property label="Content-Encoding">
            <Value value={details.contentEncoding} />
          </Property>
          <Property label="Content-Language">
            <Value value={details.contentLanguage} />
          </Property>
          <Property label="Expires">
            <Value value={formatDate(details.expires)} />
          </Property>
        </dl>
      </DetailsSection>
      <DetailsSection title="User metadata">
        {metadata.length === 0 ? (
          <p className="details__muted">None</p>
        ) : (
          <dl className="properties">
            {metadata.map(([key, value]) => (
              <Property key={key} label={key}>
                {value}
              </Property>
            ))}
          </dl>
        )}
      </DetailsSection>
      <DetailsSection title="Tags">
        {!details.tags.available ? (
          <p className="details__muted">Tags: {details.tags.reason}</p>
        ) : details.tags.value.length === 0 ? (
          <p className="details__muted">None</p>
        ) : (
          <dl className="properties">
            {details.tags.value.map((tag) => (
              <Property key={tag.key} label={tag.key}>
                {tag.value}
              </Property>
            ))}
          </dl>
        )}
      </DetailsSection>
      <DetailsSection title="Access (ACL)">
        {!details.acl.available ? (
          <p className="details__muted">ACL: {details.acl.reason}</p>
        ) : (
          <dl className="properties">
            <Property label="Owner">
              <Value value={details.acl.value.owner} />
            </Property>
            {details.acl.value.grants.map((grant) => (
              <Property key={`${grant.grantee} ${grant.permission}`} label={grant.permission}>
                {grant.grantee}
              </Property>
            ))}
          </dl>
        )}
      </DetailsSection>
    </>
  );
}
