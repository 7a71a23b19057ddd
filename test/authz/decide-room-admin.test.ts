import { decideRoomAdmin, needsRoomOwner } from '../../src/hipchat/authz/decide-room-admin';
import { readGroupAdmin, readRoomOwnerId } from '../../src/hipchat/api/hipchat-directory';

const member = { userId: '7', jwtRoomId: 100 };

describe('decideRoomAdmin (pure)', () => {
  it('a group admin administers every room and the whole group', () => {
    for (const target of [100, 200, null]) {
      expect(decideRoomAdmin(member, target, { isGroupAdmin: true })).toEqual({ allowed: true, role: 'group_admin' });
    }
  });

  it("the owner of the JWT's room administers that room only", () => {
    expect(decideRoomAdmin(member, 100, { isGroupAdmin: false, jwtRoomOwnerId: '7' })).toEqual({ allowed: true, role: 'room_owner' });
    expect(decideRoomAdmin(member, 200, { isGroupAdmin: false, jwtRoomOwnerId: '7' })).toMatchObject({ allowed: false, reason: 'other_room' });
    expect(decideRoomAdmin(member, null, { isGroupAdmin: false, jwtRoomOwnerId: '7' })).toMatchObject({ allowed: false, reason: 'whole_group' });
  });

  it('an ordinary member administers nothing', () => {
    expect(decideRoomAdmin(member, 100, { isGroupAdmin: false, jwtRoomOwnerId: '8' })).toMatchObject({ allowed: false, reason: 'not_admin' });
    expect(decideRoomAdmin(member, 100, { isGroupAdmin: false, jwtRoomOwnerId: null })).toMatchObject({ allowed: false, reason: 'not_admin' });
    expect(decideRoomAdmin(member, 100, { isGroupAdmin: false })).toMatchObject({ allowed: false, reason: 'not_admin' });
  });

  it('a JWT without a user (sub) is never an admin, whatever the facts say', () => {
    expect(decideRoomAdmin({ userId: null, jwtRoomId: 100 }, 100, { isGroupAdmin: true, jwtRoomOwnerId: null })).toMatchObject({ allowed: false, reason: 'no_user' });
  });

  it("asks for the room's owner only when it can change the answer", () => {
    expect(needsRoomOwner(member, 100)).toBe(true);
    expect(needsRoomOwner(member, 200)).toBe(false);
    expect(needsRoomOwner(member, null)).toBe(false);
    expect(needsRoomOwner({ userId: null, jwtRoomId: 100 }, 100)).toBe(false);
  });
});

describe("reading HipChat's answers", () => {
  it('counts a deleted or guest user as no admin, and refuses unreadable answers (undefined)', () => {
    expect(readGroupAdmin({ id: 1, is_group_admin: true })).toBe(true);
    expect(readGroupAdmin({ id: 1, is_group_admin: true, is_deleted: true })).toBe(false);
    expect(readGroupAdmin({ id: 1, is_group_admin: true, is_guest: true })).toBe(false);
    expect(readGroupAdmin({ id: 1, is_group_admin: 'true' })).toBeUndefined();
    expect(readGroupAdmin({ id: 1 })).toBeUndefined();
    expect(readRoomOwnerId({ id: 5, owner: { id: 7, name: 'x' } })).toBe('7');
    expect(readRoomOwnerId({ id: 5, owner: null })).toBeNull();
    expect(readRoomOwnerId({ id: 5, owner: { id: '7' } })).toBeUndefined();
    expect(readRoomOwnerId('nope')).toBeUndefined();
  });
});
