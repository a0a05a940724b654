import { notify } from '../../stores/app-store';

/**
 * Puts text on the clipboard and says so in a toast ("Link copied"). When the browser refuses
 * (no permission, the window lost focus), says how to copy by hand instead: the text is on screen.
 */
export async function copyText(text: string, doneMessage: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    notify(doneMessage, 'success');
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    notify(`Could not copy to the clipboard (${reason}). Select the text and copy it with Ctrl+C or ⌘C.`, 'error');
    return false;
  }
}
