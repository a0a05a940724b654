/** A long operation's kind, for the UI's wording. */
export type OperationKind =
  | 'delete'
  | 'copy'
  | 'move'
  | 'rename'
  | 'delete-bucket'
  | 'edit-metadata'
  | 'edit-tags'
  | 'edit-access'
  | 'undelete'
  | 'delete-for-good';

/** Progress of a long operation, sent at most about ten times a second. */
export interface OperationProgress {
  operationId: string;
  kind: OperationKind;
  /** What it is doing, in words ("Deleting 3 items from photos"). */
  title: string;
  done: number;
  /** null while the total is still being counted (a folder being listed). */
  total: number | null;
  /** Objects it could not handle so far (not counted in `done`). */
  failed?: number;
  state: 'running' | 'finished' | 'failed' | 'cancelled';
}

/** What a finished operation did and did not do. */
export interface OperationOutcome {
  operationId: string;
  kind: OperationKind;
  state: 'finished' | 'failed' | 'cancelled';
  /** How many objects it handled. */
  done: number;
  /** Objects it could not handle, with why (at most 100 listed; `failedCount` has them all). */
  failures: { key: string; message: string }[];
  failedCount: number;
  /** A sentence for the person: what was done, what was not. */
  summary: string;
}
