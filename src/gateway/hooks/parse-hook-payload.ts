import { z } from 'zod';
import { messageText, parseRoomNotification, type RoomNotification } from '../../hipchat/api/hipchat-messages';
import { badRequest } from '../../shared/errors';
import { parseInput } from '../../shared/validate';

const plainText = z.strictObject({
  text: messageText,
});

/**
 * What an incoming hook accepts: HipChat's own notification body (message, message_format, color,
 * notify, card…), or `{"text": "…"}` as many tools send it, which becomes a plain-text notification.
 */
export function parseHookPayload(body: unknown): RoomNotification {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('body: must be a JSON object with "message" (HipChat notification) or "text"', 'invalid_request');
  }
  if ('text' in body && !('message' in body)) {
    const { text } = parseInput(plainText, body);
    return { message: text, message_format: 'text' };
  }
  return parseRoomNotification(body);
}
