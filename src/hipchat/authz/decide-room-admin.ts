/**
 * Who may configure. HipChat's JWT says who the user is and which room the page was opened in, never
 * whether the user is an admin, so that is asked of HipChat (see RoomAdminAuthority) and decided here.
 */

/** What HipChat said about the user and, when it matters, about the JWT's room. */
export interface AdminFacts {
  /** `GET /v2/user/{sub}` → is_group_admin (false for a deleted, guest or unknown user). */
  isGroupAdmin: boolean;
  /** `GET /v2/room/{jwt room}` → owner.id; undefined when it was not needed (or not asked). */
  jwtRoomOwnerId?: string | null;
}

/** Who asks, from the verified JWT. */
export interface AdminRequester {
  userId: string | null;
  /** context.room_id (or the room installation's room): the room the page was opened in. */
  jwtRoomId: number | null;
}

export type RoomAdminRole = 'group_admin' | 'room_owner';

export type RoomAdminDecision =
  | { allowed: true; role: RoomAdminRole }
  | { allowed: false; reason: 'no_user' | 'other_room' | 'whole_group' | 'not_admin'; message: string };

/**
 * An admin of a room is a group admin, or that room's owner. A room owner is an admin only of the room
 * the JWT was issued in: acting on another room, or on what applies to every room of the group (a global
 * installation's settings; `targetRoomId` null), needs a group admin. Pure.
 */
export function decideRoomAdmin(who: AdminRequester, targetRoomId: number | null, facts: AdminFacts): RoomAdminDecision {
  if (who.userId === null) {
    return { allowed: false, reason: 'no_user', message: 'The JWT names no user, so no admin rights can be checked' };
  }
  if (facts.isGroupAdmin) return { allowed: true, role: 'group_admin' };
  if (targetRoomId === null) {
    return { allowed: false, reason: 'whole_group', message: 'Only a HipChat group admin may change what applies to every room' };
  }
  if (targetRoomId !== who.jwtRoomId) {
    return {
      allowed: false,
      reason: 'other_room',
      message: `Only a HipChat group admin may act on room ${targetRoomId} from a page opened in another room`,
    };
  }
  if (facts.jwtRoomOwnerId !== undefined && facts.jwtRoomOwnerId !== null && facts.jwtRoomOwnerId === who.userId) {
    return { allowed: true, role: 'room_owner' };
  }
  return { allowed: false, reason: 'not_admin', message: "Only this room's owner or a HipChat group admin may do this" };
}

/** Whether the JWT room's owner can change the decision, i.e. whether it is worth asking HipChat. */
export function needsRoomOwner(who: AdminRequester, targetRoomId: number | null): boolean {
  return who.userId !== null && targetRoomId !== null && targetRoomId === who.jwtRoomId;
}
