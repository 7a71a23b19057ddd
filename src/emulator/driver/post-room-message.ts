import type { EmulatorContext } from '../emulator-context';
import { findMentions } from '../model/find-mentions';
import type { HistoryItem } from '../model/types';
import { dispatchRoomEvent, roomReference, type WebhookResult } from './dispatch-webhooks';
import { assertRoomOpen } from './room-events';

export interface PostMessageResult {
  message: HistoryItem;
  webhooks: WebhookResult[];
}

/** A user posts in a room: recorded in history, then webhooks fire; resolves once every webhook answered. */
export async function postRoomMessage(ctx: EmulatorContext, roomId: number, userId: number, text: string): Promise<PostMessageResult> {
  const room = ctx.state.requireRoom(roomId);
  assertRoomOpen(room);
  const user = ctx.state.requireUser(userId);
  const mentions = findMentions(text, ctx.state.users.values(), room.groupId);
  const message = ctx.state.appendHistory({
    roomId,
    type: 'message',
    from: { kind: 'user', id: user.id, name: user.name, mention_name: user.mention_name },
    message: text,
    message_format: 'text',
    notify: false,
    mentions,
  });
  const item = {
    message: { id: message.id, date: message.date, from: { id: user.id, mention_name: user.mention_name, name: user.name }, message: text, type: 'message', mentions },
    room: roomReference(ctx, room),
  };
  const webhooks = await dispatchRoomEvent(ctx, { event: 'room_message', room, userId, item, text });
  return { message, webhooks };
}
