/**
 * Globals that every runtime of this app has (Node, Chromium, Electron) but that TypeScript
 * declares only in the DOM or Node libraries. Only tsconfig.shared.json includes this file,
 * so shared code can use them without gaining the rest of either library.
 */
declare class URL {
  constructor(url: string, base?: string | URL);
  readonly protocol: string;
  readonly hostname: string;
  readonly host: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly origin: string;
  readonly href: string;
  readonly searchParams: URLSearchParams;
}

declare class URLSearchParams {
  get(name: string): string | null;
}

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
