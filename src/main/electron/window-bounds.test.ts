import { describe, expect, it } from 'vitest';
import { chooseWindowBounds, isVisibleOnSomeDisplay, parseWindowState, type Rectangle } from './window-bounds';

const laptop: Rectangle = { x: 0, y: 0, width: 1440, height: 875 };
// A second monitor to the left of the laptop, as macOS and Windows place one: negative x.
const leftMonitor: Rectangle = { x: -1920, y: 0, width: 1920, height: 1050 };
const sizes = { defaultSize: { width: 1200, height: 780 }, minSize: { width: 760, height: 480 } };

describe('parseWindowState', () => {
  it('reads a valid state', () => {
    expect(parseWindowState('{"x":10,"y":20,"width":900,"height":600,"maximized":true}')).toEqual({
      x: 10,
      y: 20,
      width: 900,
      height: 600,
      maximized: true,
    });
  });

  it.each([
    ['a missing file', undefined],
    ['an empty file', ''],
    ['truncated JSON', '{"x":10,"y":20,"wid'],
    ['JSON null', 'null'],
    ['an array', '[1,2,3,4]'],
    ['a missing field', '{"x":10,"y":20,"width":900,"maximized":false}'],
    ['a string for a number', '{"x":"10","y":20,"width":900,"height":600,"maximized":false}'],
    ['a zero width', '{"x":10,"y":20,"width":0,"height":600,"maximized":false}'],
    ['a fractional coordinate', '{"x":10.5,"y":20,"width":900,"height":600,"maximized":false}'],
    ['an absurd coordinate', '{"x":1e12,"y":20,"width":900,"height":600,"maximized":false}'],
  ])('treats %s as no saved state', (_name, text) => {
    expect(parseWindowState(text)).toBeUndefined();
  });
});

describe('chooseWindowBounds', () => {
  it('uses the default size, centered (no position), on a first start', () => {
    expect(chooseWindowBounds({ saved: undefined, workAreas: [laptop], ...sizes })).toEqual({
      width: 1200,
      height: 780,
      maximized: false,
    });
  });

  it('falls back to the defaults when the saved JSON is corrupt', () => {
    const saved = parseWindowState('{not json');
    expect(chooseWindowBounds({ saved, workAreas: [laptop], ...sizes })).toEqual({
      width: 1200,
      height: 780,
      maximized: false,
    });
  });

  it('restores a rectangle that is fully on a display', () => {
    const saved = { x: 100, y: 50, width: 1000, height: 700, maximized: false };
    expect(chooseWindowBounds({ saved, workAreas: [laptop], ...sizes })).toEqual(saved);
  });

  it('rejects a rectangle on a monitor that is no longer attached', () => {
    const saved = { x: -1500, y: 100, width: 1000, height: 700, maximized: false };
    expect(chooseWindowBounds({ saved, workAreas: [laptop, leftMonitor], ...sizes })).toEqual(saved);
    expect(chooseWindowBounds({ saved, workAreas: [laptop], ...sizes })).toEqual({
      width: 1200,
      height: 780,
      maximized: false,
    });
  });

  it('rejects a rectangle far below every display', () => {
    const saved = { x: 100, y: 5000, width: 1000, height: 700, maximized: false };
    expect(chooseWindowBounds({ saved, workAreas: [laptop], ...sizes }).x).toBeUndefined();
  });

  it('keeps a partially visible rectangle where it was', () => {
    // Hanging off the right edge: 240 px of it still on screen.
    const saved = { x: 1200, y: 100, width: 1000, height: 700, maximized: false };
    expect(chooseWindowBounds({ saved, workAreas: [laptop], ...sizes })).toEqual(saved);
  });

  it('keeps a rectangle that spans two displays', () => {
    const saved = { x: -500, y: 100, width: 1000, height: 700, maximized: false };
    expect(chooseWindowBounds({ saved, workAreas: [laptop, leftMonitor], ...sizes })).toEqual(saved);
  });

  it('rejects a rectangle that only touches a display by a sliver too thin to grab', () => {
    const saved = { x: 1436, y: 100, width: 1000, height: 700, maximized: false };
    expect(chooseWindowBounds({ saved, workAreas: [laptop], ...sizes }).x).toBeUndefined();
  });

  it('keeps the maximized flag, also when the position is dropped', () => {
    const onScreen = { x: 100, y: 50, width: 1000, height: 700, maximized: true };
    expect(chooseWindowBounds({ saved: onScreen, workAreas: [laptop], ...sizes }).maximized).toBe(true);
    const offScreen = { ...onScreen, x: 9000 };
    expect(chooseWindowBounds({ saved: offScreen, workAreas: [laptop], ...sizes })).toEqual({
      width: 1200,
      height: 780,
      maximized: true,
    });
  });

  it('raises a saved size below the minimum', () => {
    const saved = { x: 100, y: 50, width: 300, height: 200, maximized: false };
    expect(chooseWindowBounds({ saved, workAreas: [laptop], ...sizes })).toEqual({
      x: 100,
      y: 50,
      width: 760,
      height: 480,
      maximized: false,
    });
  });

  it('rejects everything when no display is reported', () => {
    const saved = { x: 100, y: 50, width: 1000, height: 700, maximized: false };
    expect(chooseWindowBounds({ saved, workAreas: [], ...sizes }).x).toBeUndefined();
  });
});

describe('isVisibleOnSomeDisplay', () => {
  it('counts a window smaller than the minimum strip as visible when it is wholly on screen', () => {
    expect(isVisibleOnSomeDisplay({ x: 10, y: 10, width: 20, height: 20 }, [laptop])).toBe(true);
  });

  it('does not count rectangles that only share an edge', () => {
    expect(isVisibleOnSomeDisplay({ x: 1440, y: 0, width: 500, height: 500 }, [laptop])).toBe(false);
  });
});
