import { describe, expect, it } from 'vitest';
import { customerKeyProblem, generateCustomerKey } from './customer-key';

describe('customer keys', () => {
  it('generates 32 random bytes as 44 characters of base64, different each time', () => {
    const key = generateCustomerKey();
    expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(atob(key)).toHaveLength(32);
    expect(customerKeyProblem(key)).toBeNull();
    expect(generateCustomerKey()).not.toBe(key);
  });

  it("refuses anything but 32 bytes of base64, with the channel schema's words", () => {
    const message = 'An SSE-C key is 32 bytes, given as 44 characters of base64.';
    expect(customerKeyProblem('')).toBe(message);
    expect(customerKeyProblem('A'.repeat(44))).toBe(message);
    expect(customerKeyProblem(`${'A'.repeat(42)}==`)).toBe(message);
    expect(customerKeyProblem(` ${'A'.repeat(43)}= `)).toBeNull();
  });
});
