import { isValidElement, type ReactNode } from 'react';

/*
 * Line icons drawn on a 24-unit grid, most adapted from Lucide (https://lucide.dev),
 * ISC License, Copyright (c) for portions of Lucide are held by Cole Bemis 2013-2022 as part
 * of Feather (MIT); all other copyright (c) for Lucide are held by Lucide Contributors 2022.
 * Inline SVG rather than an icon font or files: no extra requests, and `currentColor` follows
 * the theme.
 */
const filePage = (
  <>
    <path d="M15 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V7Z" />
    <path d="M14 2v4a2 2 0 0 0 2 2h4" />
  </>
);

const paths = {
  'chevron-right': <path d="m9 6 6 6-6 6" />,
  'chevron-left': <path d="m15 18-6-6 6-6" />,
  sidebar: (
    <>
      <rect width="18" height="18" x="3" y="3" rx="2" />
      <path d="M9 3v18" />
    </>
  ),
  refresh: (
    <>
      <path d="M21 12a9 9 0 1 1-9-9c2.52 0 4.93 1 6.74 2.74L21 8" />
      <path d="M21 3v5h-5" />
    </>
  ),
  account: <path d="M17.5 19H9a7 7 0 1 1 6.71-9h1.79a4.5 4.5 0 1 1 0 9Z" />,
  bucket: (
    <>
      <ellipse cx="12" cy="6" rx="8" ry="2.5" />
      <path d="M4 6l1.8 12.6A2 2 0 0 0 7.8 20.5h8.4a2 2 0 0 0 2-1.9L20 6" />
    </>
  ),
  'bucket-plus': (
    <>
      <ellipse cx="11" cy="6" rx="8" ry="2.5" />
      <path d="M3 6l1.8 12.6A2 2 0 0 0 6.8 20.5H12" />
      <path d="M19 6l-.7 5" />
      <path d="M18 15v6" />
      <path d="M15 18h6" />
    </>
  ),
  upload: (
    <>
      <path d="M12 15V3" />
      <path d="m7 8 5-5 5 5" />
      <path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4" />
    </>
  ),
  download: (
    <>
      <path d="M12 3v12" />
      <path d="m7 10 5 5 5-5" />
      <path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4" />
    </>
  ),
  'folder-plus': (
    <>
      <path d="M4 20h16a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2h-7.93a2 2 0 0 1-1.66-.9l-.82-1.2A2 2 0 0 0 7.93 3H4a2 2 0 0 0-2 2v13c0 1.1.9 2 2 2Z" />
      <path d="M12 10v6" />
      <path d="M9 13h6" />
    </>
  ),
  link: (
    <>
      <path d="M10 13a5 5 0 0 0 7.54.54l3-3a5 5 0 0 0-7.07-7.07l-1.72 1.71" />
      <path d="M14 11a5 5 0 0 0-7.54-.54l-3 3a5 5 0 0 0 7.07 7.07l1.71-1.71" />
    </>
  ),
  trash: (
    <>
      <path d="M3 6h18" />
      <path d="M19 6v14a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V6" />
      <path d="M8 6V4a2 2 0 0 1 2-2h4a2 2 0 0 1 2 2v2" />
    </>
  ),
  alert: (
    <>
      <circle cx="12" cy="12" r="10" />
      <path d="M12 8v4" />
      <path d="M12 16h.01" />
    </>
  ),
  info: (
    <>
      <circle cx="12" cy="12" r="10" />
      <path d="M12 16v-4" />
      <path d="M12 8h.01" />
    </>
  ),
  success: (
    <>
      <circle cx="12" cy="12" r="10" />
      <path d="m9 12 2 2 4-4" />
    </>
  ),
  close: (
    <>
      <path d="M18 6 6 18" />
      <path d="m6 6 12 12" />
    </>
  ),
  transfers: (
    <>
      <path d="m21 16-4 4-4-4" />
      <path d="M17 20V4" />
      <path d="m3 8 4-4 4 4" />
      <path d="M7 4v16" />
    </>
  ),
  details: (
    <>
      <rect width="18" height="18" x="3" y="3" rx="2" />
      <path d="M15 3v18" />
    </>
  ),
  spinner: <path d="M21 12a9 9 0 1 1-6.22-8.56" />,
  plus: (
    <>
      <path d="M5 12h14" />
      <path d="M12 5v14" />
    </>
  ),
  more: (
    <>
      <circle cx="12" cy="12" r="1" />
      <circle cx="19" cy="12" r="1" />
      <circle cx="5" cy="12" r="1" />
    </>
  ),
  pencil: (
    <>
      <path d="M21.17 6.81a1 1 0 0 0-3.98-3.98L3.84 16.17a2 2 0 0 0-.5.83l-1.32 4.35a.5.5 0 0 0 .62.62l4.35-1.32a2 2 0 0 0 .83-.5Z" />
      <path d="m15 5 4 4" />
    </>
  ),
  certificate: (
    <>
      <path d="M20 13c0 5-3.5 7.5-7.66 8.95a1 1 0 0 1-.67-.01C7.5 20.5 4 18 4 13V6a1 1 0 0 1 1-1c2 0 4.5-1.2 6.24-2.72a1.17 1.17 0 0 1 1.52 0C14.51 3.81 17 5 19 5a1 1 0 0 1 1 1Z" />
      <path d="m9 12 2 2 4-4" />
    </>
  ),
  folder: (
    <path d="M20 20a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2h-7.9a2 2 0 0 1-1.69-.9L9.6 3.9A2 2 0 0 0 7.93 3H4a2 2 0 0 0-2 2v13a2 2 0 0 0 2 2Z" />
  ),
  'folder-open': (
    <path d="m6 14 1.5-2.9A2 2 0 0 1 9.24 10H20a2 2 0 0 1 1.94 2.5l-1.54 6a2 2 0 0 1-1.95 1.5H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h3.9a2 2 0 0 1 1.69.9l.81 1.2a2 2 0 0 0 1.67.9H18a2 2 0 0 1 2 2v2" />
  ),
  'folder-move': (
    <>
      <path d="M2 9V5a2 2 0 0 1 2-2h3.9a2 2 0 0 1 1.69.9l.81 1.2a2 2 0 0 0 1.67.9H20a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2v-1" />
      <path d="M2 13h10" />
      <path d="m9 16 3-3-3-3" />
    </>
  ),
  file: filePage,
  'file-text': (
    <>
      {filePage}
      <path d="M10 9H8" />
      <path d="M16 13H8" />
      <path d="M16 17H8" />
    </>
  ),
  'file-image': (
    <>
      {filePage}
      <circle cx="10" cy="12" r="2" />
      <path d="m20 17-1.3-1.3a2.41 2.41 0 0 0-3.4 0L9 22" />
    </>
  ),
  'file-video': (
    <>
      {filePage}
      <path d="m10 11 5 3-5 3v-6Z" />
    </>
  ),
  'file-audio': (
    <>
      {filePage}
      <circle cx="10" cy="17" r="2" />
      <path d="M12 17v-6l3 1" />
    </>
  ),
  'file-archive': (
    <>
      {filePage}
      <path d="M10 8v1" />
      <path d="M10 12v1" />
      <circle cx="10" cy="17" r="1.5" />
    </>
  ),
  'file-code': (
    <>
      {filePage}
      <path d="m10 13-2 2 2 2" />
      <path d="m14 17 2-2-2-2" />
    </>
  ),
  'arrow-left': (
    <>
      <path d="m12 19-7-7 7-7" />
      <path d="M19 12H5" />
    </>
  ),
  'arrow-right': (
    <>
      <path d="M5 12h14" />
      <path d="m12 5 7 7-7 7" />
    </>
  ),
  'arrow-up': (
    <>
      <path d="m5 12 7-7 7 7" />
      <path d="M12 19V5" />
    </>
  ),
  history: (
    <>
      <path d="M3 12a9 9 0 1 0 9-9 9.75 9.75 0 0 0-6.74 2.74L3 8" />
      <path d="M3 3v5h5" />
      <path d="M12 7v5l4 2" />
    </>
  ),
  undo: (
    <>
      <path d="M9 14 4 9l5-5" />
      <path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" />
    </>
  ),
  pause: (
    <>
      <rect x="6" y="4" width="4" height="16" rx="1" />
      <rect x="14" y="4" width="4" height="16" rx="1" />
    </>
  ),
  play: <path d="M6 3l14 9-14 9V3z" />,
  bookmark: <path d="m19 21-7-4-7 4V5a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v16z" />,
  'chevron-up': <path d="m18 15-6-6-6 6" />,
  'chevron-down': <path d="m6 9 6 6 6-6" />,
  search: (
    <>
      <circle cx="11" cy="11" r="8" />
      <path d="m21 21-4.3-4.3" />
    </>
  ),
  copy: (
    <>
      <rect width="14" height="14" x="8" y="8" rx="2" ry="2" />
      <path d="M4 16c-1.1 0-2-.9-2-2V4c0-1.1.9-2 2-2h10c1.1 0 2 .9 2 2" />
    </>
  ),
  stop: (
    <>
      <circle cx="12" cy="12" r="10" />
      <rect x="9" y="9" width="6" height="6" rx="1" />
    </>
  ),
  settings: (
    <>
      <path d="M20 7h-9" />
      <path d="M14 17H5" />
      <circle cx="17" cy="17" r="3" />
      <circle cx="7" cy="7" r="3" />
    </>
  ),
} satisfies Record<string, ReactNode>;

/** The name of one of the app's icons. */
export type IconName = keyof typeof paths;

/** SVG markup of an icon's shapes (paths, circles, rects…), from the elements above. */
function shapesMarkup(node: ReactNode): string {
  if (Array.isArray(node)) return node.map(shapesMarkup).join('');
  if (!isValidElement<Record<string, unknown>>(node)) return '';
  const { children, ...attributes } = node.props;
  if (typeof node.type !== 'string') return shapesMarkup(children as ReactNode);
  const attributeText = Object.entries(attributes)
    .map(([name, value]) => ` ${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}="${String(value)}"`)
    .join('');
  return `<${node.type}${attributeText}/>`;
}

/**
 * An icon as a CSS image (`url("data:image/svg+xml,…")`), drawn as the inline icons are, for a
 * mask: where thousands of rows pass by while scrolling, an image is rasterized once and reused,
 * where an inline SVG is laid out and painted again in every row that shows it.
 */
export function iconImage(name: IconName): string {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="black" ' +
    `stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round">${shapesMarkup(paths[name])}</svg>`;
  return `url("data:image/svg+xml,${encodeURIComponent(svg)}")`;
}

/**
 * Spinning icons (class `icon--spin`) turn in steps, ten a second, all from one timer. A CSS
 * animation would redraw the window sixty times a second for as long as it spins: where
 * Chromium composites in software (no GPU) that cost about 7% of a core while a large folder
 * loads, CPU that the listing itself needs on a small machine.
 */
const spinning = new Set<SVGSVGElement>();
const SPIN_STEP_DEGREES = 36;
const SPIN_STEP_MS = 100;
let spinTimer: ReturnType<typeof setInterval> | undefined;
let spinAngle = 0;

/** Turns an icon with the others until the returned function is called. */
function spin(element: SVGSVGElement): () => void {
  if (window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) return () => undefined;
  spinning.add(element);
  element.style.transform = `rotate(${spinAngle}deg)`;
  spinTimer ??= setInterval(() => {
    spinAngle = (spinAngle + SPIN_STEP_DEGREES) % 360;
    for (const each of spinning) each.style.transform = `rotate(${spinAngle}deg)`;
  }, SPIN_STEP_MS);
  return () => {
    spinning.delete(element);
    element.style.transform = '';
    if (spinning.size === 0) {
      clearInterval(spinTimer);
      spinTimer = undefined;
    }
  };
}

/** A ref that spins its icon while it is mounted (a React 19 ref callback returns its cleanup). */
const spinRef = (element: SVGSVGElement | null): (() => void) | undefined => (element ? spin(element) : undefined);

/** A decorative line icon (hidden from assistive technology: the control around it carries the name). */
export function Icon({ name, className }: { name: IconName; className?: string | undefined }) {
  const spins = className !== undefined && /(^|\s)icon--spin(\s|$)/.test(className);
  return (
    <svg
      ref={spins ? spinRef : undefined}
      className={className ? `icon ${className}` : 'icon'}
      viewBox="0 0 24 24"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.75"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {paths[name]}
    </svg>
  );
}
