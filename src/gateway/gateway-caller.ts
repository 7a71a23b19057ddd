import type { RoomAdminRole } from '../hipchat/authz/decide-room-admin';
import type { HipChatContext } from '../hipchat/jwt/hipchat-context';

/**
 * Who manages connections and hooks: the server's admin (ADMIN_TOKEN), who may manage everything, or
 * an installation's configuration page (a verified HipChat JWT), which may manage only its own rooms,
 * and only as an admin of the room concerned (see decideRoomAdmin).
 */
export type GatewayCaller = { kind: 'admin' } | { kind: 'installation'; context: HipChatContext };

/** RoomAdminAuthority.require: resolves to the role, or throws 403 not_room_admin / 503. */
export type RoomAdminCheck = (context: HipChatContext, targetRoomId: number | null) => Promise<RoomAdminRole>;

/** The oauthId whose things a caller may see and change; undefined = all (admin). */
export function ownerOf(caller: GatewayCaller): string | undefined {
  return caller.kind === 'admin' ? undefined : caller.context.oauthId;
}

/**
 * Checks the caller administers `roomId` (null: every room of the group). The server's admin always
 * does; a JWT caller must be a HipChat group admin, or the owner of the JWT's room acting on that room.
 */
export async function authorizeRoom(check: RoomAdminCheck, caller: GatewayCaller, roomId: number | null): Promise<RoomAdminRole | 'server_admin'> {
  return caller.kind === 'admin' ? 'server_admin' : check(caller.context, roomId);
}

/** The rooms a caller may list things of: all of its own (server or group admin) or the JWT's room only. */
export async function visibleRoom(check: RoomAdminCheck, caller: GatewayCaller): Promise<number | undefined> {
  if (caller.kind === 'admin') return undefined;
  const role = await check(caller.context, caller.context.roomId);
  return role === 'group_admin' ? undefined : (caller.context.roomId ?? undefined);
}
