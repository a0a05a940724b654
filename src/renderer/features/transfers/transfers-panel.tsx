/** The bottom pane: the transfer queue (uploads and downloads); empty until transfers exist. */
export function TransfersPanel() {
  return (
    <section aria-label="Transfers" className="pane transfers">
      <header className="pane-header">
        <h2 className="pane-title">Transfers</h2>
      </header>
      <div className="pane-body transfers__body">
        <p className="empty-state">No transfers. Uploads and downloads will appear here.</p>
      </div>
    </section>
  );
}
