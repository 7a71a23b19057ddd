import { badRequest } from '../../shared/errors';
import { isStoredId, MAX_STORED_ID } from '../../shared/validate';

/** A room as the user named it: HipChat's numeric id, or its name (resolved to an id before storing). */
export type RoomRef = { id: number } | { name: string };

/** What connecting a room needs, however the user pasted it. */
export interface RoomTokenInput {
  /** HipChat's API base, ending in exactly one "/" (e.g. https://api.hipchat.com/v2/). */
  apiUrl: string;
  room: RoomRef;
  token: string;
}

const NOTIFICATION_PATH = /^(\/(?:[^?#]*\/)?v2\/)room\/([^/]+)\/notification\/?$/;
const TOKEN_SHAPE = /^[A-Za-z0-9_.~+/=-]{8,200}$/;

/**
 * Reads a build-your-own integration's notification URL,
 * `https://host/v2/room/{id_or_name}/notification?auth_token=…`, into its parts.
 * Throws a 400 naming `notificationUrl` when it does not have that shape.
 */
export function parseNotificationUrl(raw: string): RoomTokenInput {
  const field = 'notificationUrl';
  const url = absoluteUrl(raw.trim(), field);
  const match = NOTIFICATION_PATH.exec(url.pathname);
  if (!match) throw badRequest(`${field}: must look like https://<host>/v2/room/<id>/notification?auth_token=<token>`);
  const tokens = url.searchParams.getAll('auth_token');
  if (tokens.length !== 1) throw badRequest(`${field}: must carry exactly one auth_token parameter`);
  return {
    apiUrl: `${url.origin}${match[1] as string}`,
    room: parseRoomRef(decodeSegment(match[2] as string, field), field),
    token: parseRoomToken(tokens[0] as string, `${field}.auth_token`),
  };
}

/**
 * Turns what a user calls "the HipChat URL" (https://hipchat.example.com, …/v2 or …/v2/) into the
 * API base with one trailing slash. Query strings and fragments are refused: nothing legitimate has them.
 */
export function parseHipChatApiUrl(raw: string, field = 'hipchatUrl'): string {
  const url = absoluteUrl(raw.trim(), field);
  if (url.search !== '' || url.hash !== '') throw badRequest(`${field}: must not have a query string or fragment`);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path.endsWith('/v2') ? path : `${path}/v2`}/`;
}

/** A positive integer (or its digits) is a room id; other text is a room name. */
export function parseRoomRef(value: unknown, field = 'room'): RoomRef {
  const notAnId = () => badRequest(`${field}: a room id must be a whole number from 1 to ${MAX_STORED_ID}`);
  if (typeof value === 'number') {
    if (isStoredId(value)) return { id: value };
    throw notAnId();
  }
  if (typeof value !== 'string' || value.trim() === '') throw badRequest(`${field}: must be a room id or name`);
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const id = Number(text);
    if (isStoredId(id)) return { id };
    throw notAnId();
  }
  if (text.length > 100) throw badRequest(`${field}: a room name is at most 100 characters`);
  return { name: text };
}

export function parseRoomToken(value: unknown, field = 'token'): string {
  if (typeof value !== 'string' || !TOKEN_SHAPE.test(value.trim())) {
    throw badRequest(`${field}: must be a HipChat room notification token (8–200 URL-safe characters)`);
  }
  return value.trim();
}

function absoluteUrl(raw: string, field: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw badRequest(`${field}: must be an absolute https URL`);
  }
}

function decodeSegment(segment: string, field: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`${field}: the room in the URL is not validly encoded`);
  }
}
