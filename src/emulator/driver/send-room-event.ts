import type { EmulatorContext } from '../emulator-context';
import { dispatchRoomEvent, roomReference, type WebhookResult } from './dispatch-webhooks';
import { assertRoomOpen } from './room-events';

export type RoomEventRequest =
  | { event: 'room_enter' | 'room_exit'; roomId: number; userId: number }
  | { event: 'room_topic_change'; roomId: number; userId: number; topic: string };

/** A user enters or leaves a room, or changes its topic; resolves once every webhook answered. */
export function sendRoomEvent(ctx: EmulatorContext, request: RoomEventRequest): Promise<WebhookResult[]> {
  const user = ctx.state.requireUser(request.userId);
  // An archived room refuses topic changes (entering and leaving still happen).
  if (request.event === 'room_topic_change') assertRoomOpen(ctx.state.requireRoom(request.roomId));
  const room = request.event === 'room_topic_change' ? ctx.state.setTopic(request.roomId, request.topic) : ctx.state.requireRoom(request.roomId);
  const sender = { id: user.id, mention_name: user.mention_name, name: user.name };
  const item = { room: roomReference(ctx, room), sender, ...(request.event === 'room_topic_change' ? { topic: request.topic } : {}) };
  return dispatchRoomEvent(ctx, { event: request.event, room, userId: user.id, item });
}
