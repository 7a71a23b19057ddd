import { z } from 'zod';
import { forbidden, HttpError } from '../../shared/errors';
import type { HipChatApi } from '../api/hipchat-api';
import type { WebhookEventName } from '../events/webhook-events';

/**
 * The events that claim a room changed state. A webhook's JWT is signed with the installation's secret,
 * and so is the JWT every page of the add-on gets from HipChat.auth.withToken: any member who can open
 * the sidebar can sign a body saying their room was archived or deleted. Before handlers act on such a
 * claim (freeze or delete a room's data), HipChat, the source of truth, is asked whether it is so.
 */
export const STATE_CLAIMS: Partial<Record<WebhookEventName, (room: RoomState | null) => boolean>> = {
  room_archived: (room) => room?.is_archived === true,
  room_unarchived: (room) => room !== null && room.is_archived !== true,
  room_deleted: (room) => room === null,
  room_created: (room) => room !== null,
};

const roomStateSchema = z.looseObject({ is_archived: z.boolean().optional() });
type RoomState = z.infer<typeof roomStateSchema>;

/** Throws 403 `event_not_confirmed` unless HipChat's own view of the room agrees with the event. */
export async function confirmRoomEvent(event: WebhookEventName, roomId: number, api: HipChatApi): Promise<void> {
  const claim = STATE_CLAIMS[event];
  if (!claim) return;
  let found: unknown;
  try {
    found = await api.findRoom(roomId);
  } catch (error) {
    // Unconfirmed is not confirmed: answer 503 so HipChat may try again, and change nothing.
    throw new HttpError(503, 'hipchat_unavailable', `Could not confirm ${event} with HipChat`, {}, { cause: error });
  }
  const room = found === null ? null : roomStateSchema.safeParse(found);
  const state = room === null ? null : room.success ? room.data : {};
  if (!claim(state)) throw forbidden(`HipChat does not confirm ${event} for room ${roomId}`, 'event_not_confirmed');
}
