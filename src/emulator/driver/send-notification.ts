import type { EmulatorContext } from '../emulator-context';
import { notificationItem, validateNotification } from '../api/validate-notification';
import type { HistoryItem } from '../model/types';
import { announceNotification, type WebhookResult } from './dispatch-webhooks';
import { assertRoomOpen, findRoomOrFail } from './room-events';

export interface SentNotification {
  notification: HistoryItem;
  webhooks: WebhookResult[];
}

/**
 * A notification from a label no installation owns (as a room notification token's integration would
 * send it): validated like `POST /v2/room/{id}/notification`, stored, then room_notification goes to every
 * installation in the room. Used by the control API and the web client to cause the event.
 */
export async function sendNotification(ctx: EmulatorContext, roomId: number, body: unknown, label = 'Emulator'): Promise<SentNotification> {
  const room = findRoomOrFail(ctx, roomId);
  assertRoomOpen(room);
  const result = validateNotification(body, (id) => ctx.state.findHistoryItem(room.id, id) !== undefined);
  if (!result.ok) throw new Error(result.message);
  const notification = ctx.state.appendHistory(notificationItem(room.id, { kind: 'addon', label: result.value.from || label }, result.value));
  return { notification, webhooks: await announceNotification(ctx, room, notification) };
}
