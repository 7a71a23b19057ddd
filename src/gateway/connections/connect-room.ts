import crypto from 'node:crypto';
import { HipChatUnreachableError, type HipChatClient } from '../../hipchat/api/hipchat-client';
import { checkTrustedUrl } from '../../hipchat/install/trusted-host';
import { badRequest, forbidden, HttpError } from '../../shared/errors';
import { isStoredId } from '../../shared/validate';
import type { Transactional } from '../../store/transactional';
import type { GatewayCaller } from '../gateway-caller';
import { hashSecret, newUrlSecret } from '../url-secret';
import type { Connection, ConnectionStore } from './connection-store';
import type { RoomRef, RoomTokenInput } from './parse-room-token-input';

export interface ConnectedRoom {
  connection: Connection;
  /** Shown once: the build-your-own slash command URL (its secret is stored only hashed). */
  commandUrl: string;
}

export interface ConnectRoomDeps {
  connections: ConnectionStore;
  client: HipChatClient;
  allowedHosts: readonly string[];
  baseUrl: string;
  /** Shown in the "connected" notification. */
  addonName: string;
  /** Where the connection is stored: with the caller's jti when it came with a JWT. */
  within: Transactional;
}

/**
 * Connects a room with a room notification token. The token is proven by sending a short notification
 * with it, directly (not through the outbox) so the user learns at once whether it works; nothing is
 * stored unless HipChat accepted it.
 */
export async function connectRoom(deps: ConnectRoomDeps, input: RoomTokenInput, caller: GatewayCaller): Promise<ConnectedRoom> {
  const trust = checkTrustedUrl(input.apiUrl, deps.allowedHosts);
  if (!trust.trusted) throw new HttpError(400, 'untrusted_host', `The HipChat URL ${trust.reason}`);
  if (caller.kind === 'installation') assertSameHipChat(input.apiUrl, caller.context.installation.apiUrl);

  const auth = { apiUrl: input.apiUrl, accessToken: input.token };
  const roomId = await resolveRoomId(deps.client, auth, input.room);
  if (caller.kind === 'installation' && caller.context.roomId !== roomId) {
    throw forbidden('From a configuration page you can connect only the room the page was opened in', 'wrong_room');
  }
  const tokenHash = hashSecret(input.token);
  const existing = await deps.connections.findExisting(input.apiUrl, roomId, tokenHash);
  if (existing) throw alreadyConnected(existing.id);

  await proveToken(deps, auth, roomId);

  const commandSecret = newUrlSecret();
  const newConnection = {
    id: crypto.randomUUID(),
    oauthId: caller.kind === 'installation' ? caller.context.oauthId : null,
    apiUrl: input.apiUrl,
    roomId,
    roomName: 'name' in input.room ? input.room.name : null,
    token: input.token,
    tokenHash,
    commandSecretHash: hashSecret(commandSecret),
  };
  const connection = await deps.within.transaction(async (tx) => {
    const inserted = await deps.connections.insert(newConnection, tx);
    if (!inserted) throw alreadyConnected();
    return inserted;
  });
  return { connection, commandUrl: `${deps.baseUrl}/byo/${commandSecret}/command` };
}

async function proveToken(deps: ConnectRoomDeps, auth: { apiUrl: string; accessToken: string }, roomId: number): Promise<void> {
  const result = await reach(() =>
    deps.client.sendRoomNotification(auth, roomId, {
      message: `Connected to ${deps.addonName}: notifications and incoming hooks can now post to this room.`,
      message_format: 'text',
      color: 'green',
      notify: false,
    }),
  );
  if (result.ok) return;
  if (result.status === 401) {
    throw new HttpError(400, 'token_refused', `HipChat refused the token (${result.errorMessage ?? 'HTTP 401'}); nothing was stored`);
  }
  if (result.status === 403 || result.status === 404) {
    throw new HttpError(
      400,
      'room_refused',
      `HipChat would not let this token notify room ${roomId} (${result.errorMessage ?? `HTTP ${result.status}`}); nothing was stored`,
    );
  }
  throw new HttpError(502, 'hipchat_error', `HipChat answered ${result.errorMessage ?? `HTTP ${result.status}`}; nothing was stored, try again`);
}

/**
 * Room notification tokens only have send_notification, so HipChat usually refuses to look a room up
 * by name with them; the id (in the integration's notification URL) always works.
 */
async function resolveRoomId(client: HipChatClient, auth: { apiUrl: string; accessToken: string }, room: RoomRef): Promise<number> {
  if ('id' in room) return room.id;
  const result = await reach(() => client.call(auth, { method: 'GET', path: `room/${encodeURIComponent(room.name)}` }));
  const id = (result.body as { id?: unknown } | null)?.id;
  if (result.ok && isStoredId(id)) return id;
  if (result.status === 401) throw new HttpError(400, 'token_refused', 'HipChat refused the token; nothing was stored');
  throw badRequest(
    `room: HipChat would not tell this token the id of room "${room.name}" (${result.errorMessage ?? `HTTP ${result.status}`}); ` +
      'enter the room id, or paste the notification URL, which contains it',
    'room_not_resolved',
  );
}

async function reach<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HipChatUnreachableError) {
      throw new HttpError(502, 'hipchat_unreachable', `${error.message}; nothing was stored`, {}, { cause: error });
    }
    throw error;
  }
}

function assertSameHipChat(apiUrl: string, installationApiUrl: string): void {
  const normalise = (url: string) => url.replace(/\/+$/, '');
  if (normalise(apiUrl) !== normalise(installationApiUrl)) {
    throw forbidden("From a configuration page you can connect only rooms of the installation's own HipChat", 'wrong_hipchat');
  }
}

function alreadyConnected(id?: string): HttpError {
  return new HttpError(409, 'already_connected', `This token already connects this room${id ? ` (connection ${id})` : ''}`);
}
