import type { EmulatorContext } from '../emulator-context';
import type { Installation, Room, User } from '../model/types';
import { dispatchRoomEvent, roomReference, type WebhookResult } from './dispatch-webhooks';
import { uninstallInstallation, type UninstallResult } from './installer';

/** Why a room event could not happen: `archived` (HipChat refused), `conflict` (already so), `not_found`. */
export class RoomEventError extends Error {
  constructor(
    readonly reason: 'archived' | 'conflict' | 'not_found',
    message: string,
  ) {
    super(message);
    this.name = 'RoomEventError';
  }
}

/** `item.sender` of the events a person caused. */
export function senderJson(user: User): { id: number; mention_name: string; name: string } {
  return { id: user.id, mention_name: user.mention_name, name: user.name };
}

export function findRoomOrFail(ctx: EmulatorContext, roomId: number): Room {
  const room = ctx.state.rooms.get(roomId);
  if (!room) throw new RoomEventError('not_found', `no room with id ${roomId}`);
  return room;
}

export function findUserOrFail(ctx: EmulatorContext, userId: number): User {
  const user = ctx.state.users.get(userId);
  if (!user) throw new RoomEventError('not_found', `no user with id ${userId}`);
  return user;
}

/** HipChat refused messages, notifications and topic changes in an archived room; so does the emulator. */
export function assertRoomOpen(room: Room): void {
  if (room.is_archived) throw new RoomEventError('archived', `Room ${room.name} is archived: it takes no new messages`);
}

function eventItem(ctx: EmulatorContext, room: Room, user: User | undefined): Record<string, unknown> {
  return { room: roomReference(ctx, room), ...(user ? { sender: senderJson(user) } : {}) };
}

export interface CreatedRoom {
  room: Room;
  webhooks: WebhookResult[];
}

/** A person (or the control API, with no person) creates a room: room_created goes to global installations. */
export async function createRoomWithEvent(
  ctx: EmulatorContext,
  input: { name: string; topic?: string; privacy?: 'public' | 'private'; ownerId?: number | null },
  userId?: number,
): Promise<CreatedRoom> {
  const user = userId === undefined ? undefined : findUserOrFail(ctx, userId);
  // HipChat made the creator the room's owner.
  const room = ctx.state.createRoom({ ...input, ...(input.ownerId === undefined && user ? { ownerId: user.id } : {}) });
  const webhooks = await dispatchRoomEvent(ctx, { event: 'room_created', room, item: eventItem(ctx, room, user), ...(user ? { userId: user.id } : {}) });
  return { room, webhooks };
}

export interface DeletedRoom {
  room: Room;
  webhooks: WebhookResult[];
  /** The room's own installations, uninstalled with it. */
  uninstalled: UninstallResult[];
}

function forgetRoom(ctx: EmulatorContext, room: Room): void {
  ctx.state.rooms.delete(room.id);
  for (const [id, integration] of ctx.state.integrations) if (integration.roomId === room.id) ctx.state.integrations.delete(id);
  for (const [id, hook] of ctx.state.apiWebhooks) if (hook.roomId === room.id) ctx.state.apiWebhooks.delete(id);
  for (const [id, glance] of ctx.state.glances) if (glance.roomId === room.id) ctx.state.glances.delete(id);
}

/**
 * Deletes a room. The room is gone before room_deleted goes out (a look-up answers 404), the event goes to
 * the group's global installations, and the room's own installations are then uninstalled as an admin's
 * uninstall would (client revoked, DELETE {callbackUrl}/{oauthId}): the emulator's reading of what HipChat
 * did with add-ons of a room that no longer exists. The room's build-your-own integrations and their
 * tokens go with it.
 */
export async function deleteRoomWithEvent(ctx: EmulatorContext, roomId: number, userId?: number): Promise<DeletedRoom> {
  const room = findRoomOrFail(ctx, roomId);
  const user = userId === undefined ? undefined : findUserOrFail(ctx, userId);
  const former: Installation[] = ctx.state.installationsForRoom(room.id);
  forgetRoom(ctx, room);
  ctx.state.emit('room', room);
  const webhooks = await dispatchRoomEvent(
    ctx,
    { event: 'room_deleted', room, item: eventItem(ctx, room, user), ...(user ? { userId: user.id } : {}) },
    { installations: former },
  );
  const uninstalled: UninstallResult[] = [];
  for (const installation of former.filter((entry) => entry.roomId === room.id)) {
    uninstalled.push(await uninstallInstallation(ctx, installation.oauthId));
  }
  return { room, webhooks, uninstalled };
}

/** Archives (true) or unarchives (false) a room: room_archived / room_unarchived to the room's installations. */
export async function setRoomArchived(ctx: EmulatorContext, roomId: number, archived: boolean, userId?: number): Promise<WebhookResult[]> {
  const room = findRoomOrFail(ctx, roomId);
  const user = userId === undefined ? undefined : findUserOrFail(ctx, userId);
  if (Boolean(room.is_archived) === archived) throw new RoomEventError('conflict', `Room ${room.name} is ${archived ? 'already' : 'not'} archived`);
  room.is_archived = archived;
  ctx.state.emit('room', room);
  const event = archived ? 'room_archived' : 'room_unarchived';
  return dispatchRoomEvent(ctx, { event, room, item: eventItem(ctx, room, user), ...(user ? { userId: user.id } : {}) });
}

/**
 * Changes the topic (1–250 characters in HipChat's API; empty clears it here) and fires room_topic_change.
 * `item.sender` is there when a person changed it, not when an add-on did through the REST API.
 */
export async function changeTopic(ctx: EmulatorContext, roomId: number, topic: string, userId?: number): Promise<WebhookResult[]> {
  const room = findRoomOrFail(ctx, roomId);
  const user = userId === undefined ? undefined : findUserOrFail(ctx, userId);
  assertRoomOpen(room);
  ctx.state.setTopic(room.id, topic);
  const item = { ...eventItem(ctx, room, user), topic };
  return dispatchRoomEvent(ctx, { event: 'room_topic_change', room, item, ...(user ? { userId: user.id } : {}) });
}
