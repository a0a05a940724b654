import { useId, useState } from 'react';
import type { PolicyTemplate } from '../../../shared/bucket-policy';
import { SelectField, TextField } from '../../components/form-field';

/** The templates offered, by the select's value. */
const templateLabels = {
  'public-read-prefix': 'Public read for one folder',
  'deny-non-tls': 'Deny requests without TLS (HTTPS)',
  'grant-account': 'Grant access to another AWS account',
} as const;

type TemplateKind = keyof typeof templateLabels;

/**
 * "Add from a template": a statement for public read of one folder, for refusing requests that do
 * not use TLS, or for another AWS account's access, added to the policy being edited (where it
 * parses; a statement with the same Sid is replaced). The editor then checks and summarizes it
 * like anything typed, and Save still asks before it opens anything to anyone.
 */
export function PolicyTemplates({ bucket, onAdd }: { bucket: string; onAdd: (template: PolicyTemplate) => void }) {
  const [kind, setKind] = useState<TemplateKind>('public-read-prefix');
  const [prefix, setPrefix] = useState('');
  const [accountId, setAccountId] = useState('');
  const [access, setAccess] = useState<'read' | 'read-write'>('read');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const headingId = useId();

  function add(): void {
    if (kind === 'grant-account') {
      if (!/^\d{12}$/.test(accountId.trim())) {
        setProblem('An AWS account id is 12 digits, such as 123456789012.');
        return;
      }
      onAdd({ kind, accountId: accountId.trim(), access });
    } else if (kind === 'public-read-prefix') {
      const folder = prefix.trim().replace(/^\/+/, '');
      onAdd({ kind, prefix: folder === '' || folder.endsWith('/') ? folder : `${folder}/` });
    } else onAdd({ kind });
    setProblem(undefined);
  }

  return (
    <section className="policy-templates" aria-labelledby={headingId}>
      <h4 id={headingId} className="policy-summary__title">
        Add from a template
      </h4>
      <div className="form-grid form-grid--stacked">
        <SelectField
          label="Template"
          value={kind}
          onValueChange={(value) => {
            setKind(value as TemplateKind);
            setProblem(undefined);
          }}
        >
          {(Object.keys(templateLabels) as TemplateKind[]).map((value) => (
            <option key={value} value={value}>
              {templateLabels[value]}
            </option>
          ))}
        </SelectField>
        {kind === 'public-read-prefix' ? (
          <TextField
            label="Folder"
            autoComplete="off"
            placeholder="photos/"
            hint={`Anyone on the internet will be able to read the objects under this folder of “${bucket}”. Empty: the whole bucket.`}
            value={prefix}
            onValueChange={setPrefix}
          />
        ) : null}
        {kind === 'grant-account' ? (
          <>
            <TextField
              label="AWS account id"
              autoComplete="off"
              inputMode="numeric"
              placeholder="123456789012"
              value={accountId}
              error={problem}
              onValueChange={(value) => {
                setAccountId(value);
                setProblem(undefined);
              }}
            />
            <SelectField
              label="Access"
              value={access}
              onValueChange={(value) => setAccess(value as 'read' | 'read-write')}
            >
              <option value="read">List and read objects</option>
              <option value="read-write">List, read, upload and delete objects</option>
            </SelectField>
          </>
        ) : null}
      </div>
      <div className="settings-section__actions">
        <button type="button" className="button" onClick={add}>
          Add to policy
        </button>
      </div>
    </section>
  );
}
