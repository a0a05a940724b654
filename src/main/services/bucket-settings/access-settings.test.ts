import { describe, expect, it } from 'vitest';
import { ALL_USERS_URI, AUTHENTICATED_USERS_URI } from '../details/object-details';
import { cannedAclOf } from './access-settings';

const owner = { Grantee: { Type: 'CanonicalUser' as const, ID: 'owner-id' }, Permission: 'FULL_CONTROL' as const };
const group = (URI: string, Permission: 'READ' | 'WRITE') => ({ Grantee: { Type: 'Group' as const, URI }, Permission });

describe('the canned ACL a bucket’s grants amount to', () => {
  it('reads the owner’s full control alone as private, and the groups’ grants as the canned ACLs S3 writes', () => {
    expect(cannedAclOf([owner], 'owner-id')).toBe('private');
    expect(cannedAclOf([owner, group(ALL_USERS_URI, 'READ')], 'owner-id')).toBe('public-read');
    expect(cannedAclOf([group(ALL_USERS_URI, 'WRITE'), owner, group(ALL_USERS_URI, 'READ')], 'owner-id')).toBe(
      'public-read-write',
    );
    expect(cannedAclOf([owner, group(AUTHENTICATED_USERS_URI, 'READ')], 'owner-id')).toBe('authenticated-read');
  });

  it('calls anything else custom, so the form keeps it unless another is chosen', () => {
    const other = { Grantee: { Type: 'CanonicalUser' as const, ID: 'someone-else' }, Permission: 'READ' as const };
    expect(cannedAclOf([owner, other], 'owner-id')).toBe('custom');
  });
});
