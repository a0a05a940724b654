import { describe, expect, test } from 'vitest';
import { createRateMeter } from './rate-meter';

describe('rate and time left', () => {
  test('a steady 1 MB/s gives 1 MB/s and the seconds left at that rate', () => {
    const meter = createRateMeter(5_000);
    for (let t = 0; t <= 10_000; t += 500) meter.record(t, t * 1_000);
    expect(meter.bytesPerSecond(10_000)).toBeCloseTo(1_000_000, -3);
    // 10 MB done of 30 MB: 20 s left.
    expect(meter.secondsLeft(10_000, 30_000_000)).toBe(20);
  });

  test('follows a change within the window: the last 5 s count', () => {
    const meter = createRateMeter(5_000);
    let bytes = 0;
    for (let t = 0; t <= 20_000; t += 500) {
      bytes += t <= 10_000 ? 500_000 : 2_000_000; // 1 MB/s, then 4 MB/s
      meter.record(t, bytes);
    }
    expect(meter.bytesPerSecond(20_000)).toBeCloseTo(4_000_000, -4);
  });

  test('decays to nothing when bytes stop moving, and then time left is unknown', () => {
    const meter = createRateMeter(5_000);
    meter.record(0, 0);
    meter.record(1_000, 1_000_000);
    expect(meter.bytesPerSecond(1_000)).toBe(1_000_000);
    expect(meter.bytesPerSecond(3_000)).toBeCloseTo(333_333, -1);
    meter.record(10_000, 1_000_000);
    expect(meter.bytesPerSecond(10_000)).toBe(0);
    expect(meter.secondsLeft(10_000, 5_000_000)).toBeNull();
  });

  test('unknown without two samples or a total; starts over when bytes go back (a part sent again)', () => {
    const meter = createRateMeter();
    expect(meter.bytesPerSecond(0)).toBe(0);
    meter.record(0, 100);
    expect(meter.bytesPerSecond(0)).toBe(0);
    meter.record(1_000, 1_100);
    expect(meter.secondsLeft(1_000, null)).toBeNull();
    meter.record(2_000, 500);
    expect(meter.bytesPerSecond(2_000)).toBe(0);
    meter.reset();
    expect(meter.bytesPerSecond(3_000)).toBe(0);
  });
});
