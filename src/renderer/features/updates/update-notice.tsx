import { useEffect, useId, useState } from 'react';
import type { UpdateStatus } from '../../../shared/updates-contract';
import { api } from '../../api';
import { notify } from '../../stores/app-store';

/**
 * The notice of a downloaded update: its version and what changed (release notes as plain
 * text), "Restart and update" (refused, saying why, while transfers run) and "Later". A region,
 * not a dialog: it must not interrupt work.
 */
export function UpdateNotice() {
  const titleId = useId();
  const blockerId = useId();
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    void api.updates.status({}).then((result) => {
      if (current && result.ok) setStatus(result.value);
    });
    const unsubscribe = api.updates.onChanged((next) => setStatus(next));
    return () => {
      current = false;
      unsubscribe();
    };
  }, []);

  const update = status?.available;
  if (!update?.downloaded || dismissed === update.version) return null;

  async function install(): Promise<void> {
    if (status?.installBlockedBy) return;
    const result = await api.updates.install({});
    if (!result.ok) notify(result.error.message, 'error');
  }

  return (
    <section className="update-notice" aria-labelledby={titleId}>
      <h2 id={titleId} className="update-notice__title">
        Version {update.version} is ready
      </h2>
      {update.releaseNotes ? <p className="update-notice__notes">{update.releaseNotes}</p> : null}
      {status?.installBlockedBy ? (
        <p id={blockerId} className="field-hint">
          {status.installBlockedBy}
        </p>
      ) : null}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={() => setDismissed(update.version)}>
          Later
        </button>
        <button
          type="button"
          className="button button--primary"
          aria-disabled={status?.installBlockedBy ? true : undefined}
          aria-describedby={status?.installBlockedBy ? blockerId : undefined}
          onClick={() => void install()}
        >
          Restart and update
        </button>
      </div>
    </section>
  );
}
