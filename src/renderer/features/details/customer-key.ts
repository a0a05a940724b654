import { detailsRequests } from '../../../shared/details-contract';

/** The schema main checks a customer key with (44 characters of base64), reused for the inline message. */
const customerKeySchema = detailsRequests['sse.setKey'].input.shape.key;

/** 32 random bytes from the browser's cryptographic generator, as base64: a new SSE-C key. */
export function generateCustomerKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes));
}

/** The problem with a typed-in key, if any. */
export function customerKeyProblem(key: string): string | null {
  const checked = customerKeySchema.safeParse(key.trim());
  return checked.success ? null : (checked.error.issues[0]?.message ?? 'Not a valid key.');
}
