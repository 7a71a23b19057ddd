import { z } from 'zod';
import type { CommandSender } from '../../hipchat/commands/command-handler';
import { parseInput, storedIdSchema } from '../../shared/validate';

// Only the fields the command needs are checked; HipChat sent more (mentions, links, webhook_id…).
const roomMessageWebhook = z.looseObject({
  event: z.literal('room_message'),
  item: z.looseObject({
    message: z.looseObject({
      message: z.string().max(10_000),
      from: z.looseObject({
        id: storedIdSchema,
        name: z.string().max(200),
        mention_name: z.string().max(200),
      }),
    }),
    room: z.looseObject({ id: storedIdSchema }),
  }),
});

export interface RoomMessageEvent {
  roomId: number;
  text: string;
  sender: CommandSender;
}

/** Reads HipChat's room_message webhook payload (400 naming the field when it is not one). */
export function parseRoomMessageWebhook(body: unknown): RoomMessageEvent {
  const { item } = parseInput(roomMessageWebhook, body);
  const { from } = item.message;
  return {
    roomId: item.room.id,
    text: item.message.message,
    sender: { id: from.id, name: from.name, mentionName: from.mention_name },
  };
}
