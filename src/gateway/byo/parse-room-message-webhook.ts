import type { CommandSender } from '../../hipchat/commands/command-handler';
import { webhookSchemas } from '../../hipchat/events/webhook-events';
import { badRequest } from '../../shared/errors';
import { parseInput } from '../../shared/validate';

export interface RoomMessageEvent {
  roomId: number;
  text: string;
  sender: CommandSender;
}

/**
 * Reads HipChat's room_message webhook payload with the listener layer's own schema (400 naming the
 * field when it is not one). No JWT vouches for the sender here, so the body must name one in full.
 */
export function parseRoomMessageWebhook(body: unknown): RoomMessageEvent {
  const { item } = parseInput(webhookSchemas.room_message, body);
  const from = item.message.from;
  if (from?.id === undefined || from.name === undefined || from.mention_name === undefined) {
    throw badRequest('item.message.from: must name the sender (id, name, mention_name)', 'invalid_request');
  }
  return {
    roomId: item.room.id,
    text: item.message.message,
    sender: { id: from.id, name: from.name, mentionName: from.mention_name },
  };
}
