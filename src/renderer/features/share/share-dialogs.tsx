/** The share link dialogs, mounted once at the root. */
export function ShareDialogs() {
  return null;
}
