import { useEffect, useId, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { UpdateStatus } from '../../../shared/updates-contract';
import { api } from '../../api';

/**
 * "Check for updates once a day", in the settings dialog: saved at once (updates-settings.json in
 * the data folder), apart from the form. Web mode keeps the setting for the desktop app.
 */
export function UpdateSettingField({ onError }: { onError: (error: AppError | null) => void }) {
  const hintId = useId();
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    void api.updates.status({}).then((result) => {
      if (current && result.ok) setStatus(result.value);
    });
    return () => {
      current = false;
    };
  }, []);

  async function change(enabled: boolean): Promise<void> {
    // The box shows the choice at once (a controlled box would otherwise spring back until main
    // answers) and goes back if saving fails.
    const before = status;
    setStatus((shown) => shown && { ...shown, enabled });
    setBusy(true);
    onError(null);
    const result = await api.updates.setEnabled({ enabled });
    setBusy(false);
    if (result.ok) setStatus(result.value);
    else {
      setStatus(before);
      onError(result.error);
    }
  }

  if (!status) return null;
  const last = status.lastCheckedAt ? new Date(status.lastCheckedAt).toLocaleString() : null;
  return (
    <div className="form-grid form-grid--settings">
      <span className="form-label">App updates</span>
      <div className="form-control">
        <label className="check">
          <input
            type="checkbox"
            checked={status.enabled}
            disabled={busy}
            aria-describedby={hintId}
            onChange={(event) => void change(event.target.checked)}
          />
          <span>Check for updates once a day</span>
        </label>
        <p id={hintId} className="field-hint">
          {status.supported
            ? `New releases come from GitHub and install when you restart, never while transfers run.${last ? ` Last checked ${last}.` : ''}`
            : 'The installed desktop app looks for new releases on GitHub; this page does not update itself.'}
        </p>
      </div>
    </div>
  );
}
