import axios, { type AxiosInstance } from 'axios';
import type { GlanceUpdate, PrivateMessage, RoomMessage, RoomNotification, RoomWebhook } from './hipchat-messages';
import { joinApiUrl, segment } from './join-api-url';
import { parseLimitHeaders, parseRetryAfter, type LimitHeaders } from './rate-limit-headers';

/** Where and as whom to call: the installation's API base URL and a bearer token. */
export interface ApiAuth {
  apiUrl: string;
  accessToken: string;
}

/** One REST call, relative to the API base URL; this is also what the outbox stores. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
}

export interface ApiResult {
  status: number;
  ok: boolean;
  /** Per-token limit (X-Ratelimit-*), when HipChat sent it. */
  rateLimit?: LimitHeaders;
  /** Per-room flood control (X-FloodControl-*), when HipChat sent it. */
  floodControl?: LimitHeaders;
  retryAfterMs?: number;
  /** HipChat's `error.message` on a failure (or a short description of the body). */
  errorMessage?: string;
  body: unknown;
}

/** HipChat could not be reached at all (connection refused, timeout, reset). */
export class HipChatUnreachableError extends Error {
  constructor(readonly code: string) {
    super(`HipChat could not be reached (${code})`);
    this.name = 'HipChatUnreachableError';
  }
}

export const roomNotificationRequest = (roomId: number | string, notification: RoomNotification): ApiRequest => ({
  method: 'POST',
  path: `room/${segment(roomId)}/notification`,
  body: notification,
});

export const roomMessageRequest = (roomId: number | string, message: RoomMessage): ApiRequest => ({
  method: 'POST',
  path: `room/${segment(roomId)}/message`,
  body: message,
});

export const roomGlanceRequest = (roomId: number | string, glance: GlanceUpdate): ApiRequest => ({
  method: 'POST',
  path: `addon/ui/room/${segment(roomId)}`,
  body: { glance },
});

export const createRoomWebhookRequest = (roomId: number | string, key: string, webhook: RoomWebhook): ApiRequest => ({
  method: 'PUT',
  path: `room/${segment(roomId)}/extension/webhook/${segment(key)}`,
  body: webhook,
});

/** `POST /v2/user/{id_or_email}/message` (scope send_message): a private message to one user. */
export const privateMessageRequest = (idOrEmail: number | string, message: PrivateMessage): ApiRequest => ({
  method: 'POST',
  path: `user/${segment(idOrEmail)}/message`,
  body: message,
});

/** `POST /v2/addon/ui/user/{user_id}`: glances shown to one user only. */
export const userGlanceRequest = (userId: number | string, glance: GlanceUpdate): ApiRequest => ({
  method: 'POST',
  path: `addon/ui/user/${segment(userId)}`,
  body: { glance },
});

/** `PUT /v2/room/{id_or_name}/topic` (scope admin_room). */
export const roomTopicRequest = (idOrName: number | string, topic: string): ApiRequest => ({
  method: 'PUT',
  path: `room/${segment(idOrName)}/topic`,
  body: { topic },
});

/** `GET /v2/user/{id_or_email}` (scope view_group): the user, with is_group_admin. */
export const userRequest = (idOrEmail: number | string): ApiRequest => ({ method: 'GET', path: `user/${segment(idOrEmail)}` });

/** `GET /v2/room/{id_or_name}` (scope view_room): the room, with its owner. */
export const roomRequest = (idOrName: number | string): ApiRequest => ({ method: 'GET', path: `room/${segment(idOrName)}` });

export const deleteRoomWebhookRequest = (roomId: number | string, key: string): ApiRequest => ({
  method: 'DELETE',
  path: `room/${segment(roomId)}/extension/webhook/${segment(key)}`,
});

/**
 * Typed calls to HipChat's REST API. It reports what HipChat answered (status, limit headers, error
 * message) and never retries: pacing and retries belong to the delivery worker.
 */
export class HipChatClient {
  constructor(
    private readonly http: AxiosInstance,
    private readonly now: () => number = Date.now,
  ) {}

  sendRoomNotification(auth: ApiAuth, roomId: number | string, notification: RoomNotification): Promise<ApiResult> {
    return this.call(auth, roomNotificationRequest(roomId, notification));
  }

  sendRoomMessage(auth: ApiAuth, roomId: number | string, message: RoomMessage): Promise<ApiResult> {
    return this.call(auth, roomMessageRequest(roomId, message));
  }

  updateRoomGlance(auth: ApiAuth, roomId: number | string, glance: GlanceUpdate): Promise<ApiResult> {
    return this.call(auth, roomGlanceRequest(roomId, glance));
  }

  createRoomWebhook(auth: ApiAuth, roomId: number | string, key: string, webhook: RoomWebhook): Promise<ApiResult> {
    return this.call(auth, createRoomWebhookRequest(roomId, key, webhook));
  }

  deleteRoomWebhook(auth: ApiAuth, roomId: number | string, key: string): Promise<ApiResult> {
    return this.call(auth, deleteRoomWebhookRequest(roomId, key));
  }

  getUser(auth: ApiAuth, idOrEmail: number | string): Promise<ApiResult> {
    return this.call(auth, userRequest(idOrEmail));
  }

  getRoom(auth: ApiAuth, idOrName: number | string): Promise<ApiResult> {
    return this.call(auth, roomRequest(idOrName));
  }

  async call(auth: ApiAuth, request: ApiRequest): Promise<ApiResult> {
    let response;
    try {
      response = await this.http.request({
        method: request.method,
        url: joinApiUrl(auth.apiUrl, request.path),
        data: request.body,
        headers: {
          authorization: `Bearer ${auth.accessToken}`,
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        validateStatus: () => true,
      });
    } catch (error) {
      throw new HipChatUnreachableError(axios.isAxiosError(error) ? (error.code ?? error.message) : String(error));
    }
    const headers = response.headers as Record<string, unknown>;
    const ok = response.status >= 200 && response.status < 300;
    return {
      status: response.status,
      ok,
      rateLimit: parseLimitHeaders(headers, 'X-Ratelimit'),
      floodControl: parseLimitHeaders(headers, 'X-FloodControl'),
      retryAfterMs: parseRetryAfter(headers, this.now()),
      errorMessage: ok ? undefined : errorMessage(response.status, response.data),
      body: response.data,
    };
  }
}

/** HipChat's errors are `{"error": {"code", "message", "type"}}`; anything else is summarised. */
function errorMessage(status: number, data: unknown): string {
  const error = (data as { error?: { message?: unknown } } | null)?.error;
  if (error && typeof error.message === 'string') return `HTTP ${status}: ${error.message}`;
  if (typeof data === 'string' && data.trim() !== '') return `HTTP ${status}: ${data.trim().slice(0, 200)}`;
  return `HTTP ${status}`;
}
