import { badRequest } from '../../shared/errors';
import {
  parseHipChatApiUrl,
  parseNotificationUrl,
  parseRoomRef,
  parseRoomToken,
  type RoomTokenInput,
} from './parse-room-token-input';

/**
 * The body of POST /api/connections: either `{notificationUrl}` (a build-your-own integration's URL)
 * or `{token, hipchatUrl, room}` (a room notification token, HipChat's URL and the room's id or name).
 */
export function parseConnectRequest(body: unknown): RoomTokenInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('body: must be a JSON object with notificationUrl, or token, hipchatUrl and room');
  }
  const input = body as Record<string, unknown>;
  const known = new Set(['notificationUrl', 'token', 'hipchatUrl', 'room']);
  const unknown = Object.keys(input).find((key) => !known.has(key));
  if (unknown !== undefined) throw badRequest(`${unknown}: is not a field of a connection request`);

  if (isGiven(input.notificationUrl)) {
    const extra = ['token', 'hipchatUrl', 'room'].find((key) => isGiven(input[key]));
    if (extra) throw badRequest(`${extra}: give either notificationUrl or token, hipchatUrl and room, not both`);
    if (typeof input.notificationUrl !== 'string') throw badRequest('notificationUrl: must be a string');
    return parseNotificationUrl(input.notificationUrl);
  }
  const missing = ['token', 'hipchatUrl', 'room'].find((key) => !isGiven(input[key]));
  if (missing) throw badRequest(`${missing}: is required (or give notificationUrl instead)`);
  if (typeof input.hipchatUrl !== 'string') throw badRequest('hipchatUrl: must be a string');
  return {
    token: parseRoomToken(input.token),
    apiUrl: parseHipChatApiUrl(input.hipchatUrl),
    room: parseRoomRef(input.room),
  };
}

const isGiven = (value: unknown) => value !== undefined && value !== null && value !== '';
