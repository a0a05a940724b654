/**
 * The round trip to the services the app talks to, as its own connections see it: the time from
 * a request's write to its answer, on the app's kept connections (kept-connections.ts: on a new
 * one once it is connected, to the end of a small answer) and on the SDK's agents' kept sockets
 * (s3-client.ts: to the answer's head, so the SDK's requests, on AWS every small file's, count
 * too). A request's time is the link's round trip plus the service's work, the bytes' own time
 * and any wait of the app's event loop (busy with other files), and all but the first only add:
 * the shortest time of the last minute is the link's. Over the last 64 requests only, it was
 * not: with 100 or more files at once every one of them waited on the event loop, and the floor
 * rose with the files run at once, which it then raised (through a relay adding 20 ms, 89 ms).
 * Over the minute, on this machine's MinIO the floor was 0.7–9 ms while 64 small files ran at
 * once, through a relay adding 20 ms 23–31 ms, and through one adding 80 ms 82 ms
 * (docs/benchmarks.md, "Small files far away").
 */

/**
 * The most small requests one service gets at once (s5cmd's workers), on the longest round trip:
 * the transfer queue's most small files at once (parallelLimits), the sockets the SDK's agents
 * open to a host and the connections kept idle for lean requests, which must all agree.
 */
export const SMALL_REQUESTS_AT_MOST = 256;

/** Recent request times and their floor. */
export interface RoundTrips {
  /** One request's time (ms), from its write on a connected connection to the end of its answer. */
  record(ms: number): void;
  /** The shortest time of the last minute (ms), or undefined when there is none. */
  floor(): number | undefined;
}

/** How long a time counts: a laptop moved to another network has another round trip. */
const MAX_AGE_MS = 60_000;
/** The minute in spans of this long, each keeping only its shortest time. */
const SPAN_MS = 10_000;

/** The shortest request time of the last `maxAgeMs` (in spans of `spanMs`, so a time is forgotten within a span of its age). */
export function createRoundTrips(options: { maxAgeMs?: number; spanMs?: number; now?: () => number } = {}): RoundTrips {
  const spanMs = options.spanMs ?? SPAN_MS;
  const spans = Math.max(1, Math.ceil((options.maxAgeMs ?? MAX_AGE_MS) / spanMs));
  const now = options.now ?? (() => performance.now());
  /** Each span's shortest time, by the span's number (time / spanMs), the newest last. */
  const shortest: Array<{ span: number; ms: number }> = [];
  const current = () => Math.floor(now() / spanMs);
  return {
    record(ms) {
      const span = current();
      const last = shortest.at(-1);
      if (last?.span === span) last.ms = Math.min(last.ms, ms);
      else shortest.push({ span, ms });
      while (shortest.length > spans) shortest.shift();
    },
    floor() {
      const oldest = current() - spans + 1;
      let least: number | undefined;
      for (const { span, ms } of shortest) if (span >= oldest && (least === undefined || ms < least)) least = ms;
      return least;
    },
  };
}

/** Each client's round trips, kept as long as the client. */
const ofClient = new WeakMap<object, RoundTrips>();

/**
 * The round trips of one S3 client's service: its SDK's agents' (s3-client.ts makes them with
 * the client) and its kept connections' (kept-connections.ts), read by the transfer queue for
 * that service's transfers. One for each client, so that a near service's quick answers do not
 * hold a far one's small files to the near one's number at once. Made on first ask for a client
 * made elsewhere.
 */
export function roundTripsOf(client: object): RoundTrips {
  let roundTrips = ofClient.get(client);
  if (!roundTrips) {
    roundTrips = createRoundTrips();
    ofClient.set(client, roundTrips);
  }
  return roundTrips;
}

/** Makes `roundTrips` the client's (its agents, made before it, record into them). */
export function adoptRoundTrips(client: object, roundTrips: RoundTrips): void {
  ofClient.set(client, roundTrips);
}
