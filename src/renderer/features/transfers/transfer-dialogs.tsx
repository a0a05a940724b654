/** The transfer queue's dialogs (what to upload, where to download, what to do with existing names), mounted once. */
export function TransferDialogs() {
  return null;
}
