import { describe, expect, it } from 'vitest';
import { createRoundTrips } from './round-trips';

describe("the round trip the app's connections see", () => {
  it('knows none before a request', () => {
    expect(createRoundTrips().floor()).toBeUndefined();
  });

  it('is the shortest time of the last minute: waits on a busy event loop only add, so they never raise it', () => {
    let clock = 0;
    const trips = createRoundTrips({ now: () => clock });
    for (const ms of [95, 82.5, 140, 300]) {
      trips.record(ms);
      clock += 1000;
    }
    expect(trips.floor()).toBe(82.5);
    // A minute of busy answers later (100 files at once, each waiting its turn), still the link's.
    for (let i = 0; i < 50; i++) {
      trips.record(150 + i);
      clock += 1000;
    }
    expect(trips.floor()).toBe(82.5);
  });

  it('forgets a time within ten seconds of its minute: another network has another round trip', () => {
    let clock = 0;
    const trips = createRoundTrips({ now: () => clock });
    trips.record(80);
    clock = 30_000;
    trips.record(2);
    clock = 55_000;
    trips.record(3);
    expect(trips.floor()).toBe(2);
    // The span of the 2 ms time (30–40 s) is over a minute old at 100 s: the 3 ms one is left.
    clock = 100_000;
    expect(trips.floor()).toBe(3);
    clock = 130_000;
    expect(trips.floor()).toBeUndefined();
  });
});
