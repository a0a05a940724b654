import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import type { BrowserLocation } from '../../stores/selection-slice';

/** The folders from a bucket's root down to a location, each with the prefix that opens it. */
export function breadcrumbTrail(location: BrowserLocation): Array<{ name: string; prefix: string }> {
  const trail = [{ name: location.bucket, prefix: '' }];
  let at = 0;
  for (;;) {
    const slash = location.prefix.indexOf('/', at);
    if (slash < 0) return trail;
    trail.push({ name: location.prefix.slice(at, slash), prefix: location.prefix.slice(0, slash + 1) });
    at = slash + 1;
  }
}

/**
 * Where the list is: the bucket, then each folder down to the current one. Every step but
 * the last is a button that opens it; the last is the page's heading.
 */
export function Breadcrumbs({ location }: { location: BrowserLocation }) {
  const navigate = useAppStore((s) => s.navigate);
  const trail = breadcrumbTrail(location);
  return (
    <nav aria-label="Breadcrumbs" className="breadcrumbs">
      <ol className="breadcrumbs__list">
        {trail.map((step, i) => {
          const last = i === trail.length - 1;
          return (
            <li key={step.prefix} className="breadcrumbs__item">
              {i > 0 ? <Icon name="chevron-right" className="breadcrumbs__separator" /> : null}
              {last ? (
                <h1 className="breadcrumbs__current" aria-current="location">
                  {i === 0 ? <Icon name="bucket" className="breadcrumbs__icon" /> : null}
                  {/* An empty segment ("a//b") still needs something to click and read. */}
                  {step.name || '(empty name)'}
                </h1>
              ) : (
                <button
                  type="button"
                  className="breadcrumbs__button"
                  onClick={() => navigate({ ...location, prefix: step.prefix })}
                >
                  {i === 0 ? <Icon name="bucket" className="breadcrumbs__icon" /> : null}
                  {step.name || '(empty name)'}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
