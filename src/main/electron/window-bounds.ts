import { z } from 'zod';

// Pure rules for restoring the window: no electron, no file system, so they are unit-tested
// in plain Node. window-state.ts feeds them Electron's displays and the saved file.

/** A screen rectangle in Electron's device-independent pixels. */
export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A window size. */
export interface Size {
  width: number;
  height: number;
}

// Coordinates can be negative (a display left of or above the primary one); sizes cannot.
// The limits only keep absurd values out: no display is 100,000 px wide.
const coordinate = z.number().int().min(-100_000).max(100_000);
const length = z.number().int().min(1).max(100_000);

/** The shape of window-state.json; anything else in the file is treated as no saved state. */
export const windowStateSchema = z.object({
  x: coordinate,
  y: coordinate,
  width: length,
  height: length,
  maximized: z.boolean(),
});

/** The window's normal (not maximized) bounds and whether it was maximized, as saved between runs. */
export type WindowState = z.infer<typeof windowStateSchema>;

/** Where and how the window opens: a position only when a saved one is still visible. */
export interface InitialWindowBounds {
  /** Absent: let Electron center the window on the primary display. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/**
 * How much of a saved window must still be on some display to reuse its position. A
 * rectangle that only touches a screen by a few pixels cannot be grabbed to move it back,
 * so it counts as off-screen too.
 */
export const MIN_VISIBLE: Size = { width: 48, height: 32 };

/** Reads the saved state file's text; corrupt JSON or a wrong shape yields undefined (use defaults). */
export function parseWindowState(text: string | undefined): WindowState | undefined {
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = windowStateSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** The overlap of two rectangles, or undefined when they do not overlap. */
export function intersection(a: Rectangle, b: Rectangle): Rectangle | undefined {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  if (right <= x || bottom <= y) return undefined;
  return { x, y, width: right - x, height: bottom - y };
}

/** True when enough of `bounds` lies on one of the work areas for a person to reach it. */
export function isVisibleOnSomeDisplay(
  bounds: Rectangle,
  workAreas: readonly Rectangle[],
  minVisible: Size = MIN_VISIBLE,
): boolean {
  return workAreas.some((area) => {
    const overlap = intersection(bounds, area);
    // A window smaller than the minimum counts as visible when all of it is on screen.
    return (
      overlap !== undefined &&
      overlap.width >= Math.min(minVisible.width, bounds.width) &&
      overlap.height >= Math.min(minVisible.height, bounds.height)
    );
  });
}

/** What chooseWindowBounds decides from. */
export interface ChooseWindowBoundsOptions {
  /** The parsed saved state, if any. */
  saved: WindowState | undefined;
  /** The work area (screen minus task bars and docks) of every display attached now. */
  workAreas: readonly Rectangle[];
  /** The size of a first start, or when the saved state cannot be used. */
  defaultSize: Size;
  /** The window's minimum size; a saved size below it is raised to it. */
  minSize: Size;
}

/**
 * Picks the bounds to open the window with: the saved rectangle when it is still visible
 * on a display attached now, otherwise the default size centered by Electron. The
 * maximized flag is kept either way, so a window maximized on a now-unplugged monitor
 * opens maximized on the primary one.
 */
export function chooseWindowBounds(options: ChooseWindowBoundsOptions): InitialWindowBounds {
  const { saved, workAreas, defaultSize, minSize } = options;
  if (saved === undefined) return { ...defaultSize, maximized: false };
  const size = {
    width: Math.max(saved.width, minSize.width),
    height: Math.max(saved.height, minSize.height),
  };
  const rectangle = { x: saved.x, y: saved.y, ...size };
  if (!isVisibleOnSomeDisplay(rectangle, workAreas)) {
    return { ...defaultSize, maximized: saved.maximized };
  }
  return { ...rectangle, maximized: saved.maximized };
}
