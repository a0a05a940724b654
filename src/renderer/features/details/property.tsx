import { useId, type ReactNode } from 'react';

/**
 * One name and value of a properties list: a term and its definition (<dt>/<dd>), which is how
 * assistive technology pairs them (ARIA forbids naming a definition, so no aria-labelledby).
 */
export function Property({ label, children, mono = false }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className={mono ? 'selectable details__mono' : 'selectable'}>{children}</dd>
    </>
  );
}

/** A titled part of the panel ("Headers", "Tags"): a region named by its heading. */
export function DetailsSection({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  const id = useId();
  return (
    <section className="details-section" aria-labelledby={id}>
      <div className="details-section__head">
        <h4 id={id} className="details-section__title">
          {title}
        </h4>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** A value the service does not have, or that is not set, shown quietly. */
export function Muted({ children }: { children: ReactNode }) {
  return <span className="details__muted">{children}</span>;
}
