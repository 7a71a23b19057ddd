import { HttpError } from '../../shared/errors';
import type { Installation } from '../installations/installation';
import {
  privateMessageRequest,
  roomMessageRequest,
  roomRequest,
  roomTopicRequest,
  userGlanceRequest,
  userRequest,
  type ApiRequest,
  type HipChatClient,
} from './hipchat-client';
import {
  parseGlanceUpdate,
  parsePrivateMessage,
  parseRoomMessage,
  parseRoomTopic,
  type GlanceContent,
  type PrivateMessage,
} from './hipchat-messages';
import type { TokenService } from './token-service';

/**
 * HipChat's REST API as one installation: each call is validated to HipChat's own limits first (400
 * naming the field), then sent at once with the installation's token (no queue, no retry: for what must
 * go through the outbox, use the NotificationService). A refusal by HipChat is a 502 naming its answer.
 */
export class HipChatApi {
  constructor(
    private readonly client: HipChatClient,
    private readonly tokens: Pick<TokenService, 'getToken' | 'invalidate'>,
    readonly installation: Installation,
  ) {}

  /** A private message to one user (id, e-mail or @mention name; scope send_message). */
  async sendPrivateMessage(user: number | string, message: string | PrivateMessage): Promise<void> {
    const valid = parsePrivateMessage(typeof message === 'string' ? { message, message_format: 'text' } : message);
    await this.send(privateMessageRequest(user, valid));
  }

  /** A message in a room as the add-on (1–1000 characters; scope send_message). */
  async sendRoomMessage(roomId: number | string, message: string): Promise<void> {
    await this.send(roomMessageRequest(roomId, parseRoomMessage({ message })));
  }

  /** Glances shown to one user only. */
  async updateUserGlance(userId: number | string, glance: Array<{ key: string; content: GlanceContent }>): Promise<void> {
    await this.send(userGlanceRequest(userId, parseGlanceUpdate(glance)));
  }

  /** Sets a room's topic (1–250 characters; scope admin_room). */
  async setRoomTopic(roomId: number | string, topic: string): Promise<void> {
    await this.send(roomTopicRequest(roomId, parseRoomTopic({ topic }).topic));
  }

  /** A user as HipChat describes them (scope view_group). */
  getUser(idOrEmail: number | string): Promise<unknown> {
    return this.send(userRequest(idOrEmail));
  }

  /** A room as HipChat describes it (scope view_room). */
  getRoom(idOrName: number | string): Promise<unknown> {
    return this.send(roomRequest(idOrName));
  }

  /** A room as HipChat describes it, or null when HipChat has no such room (404; scope view_room). */
  async findRoom(idOrName: number | string): Promise<unknown> {
    return this.send(roomRequest(idOrName), { missingIsNull: true });
  }

  private async send(request: ApiRequest, options: { missingIsNull?: boolean } = {}): Promise<unknown> {
    const { accessToken } = await this.tokens.getToken(this.installation);
    const result = await this.client.call({ apiUrl: this.installation.apiUrl, accessToken }, request);
    if (result.status === 401) await this.tokens.invalidate(this.installation.oauthId, accessToken);
    if (result.status === 404 && options.missingIsNull) return null;
    if (!result.ok) {
      throw new HttpError(502, 'hipchat_refused', `HipChat refused ${request.method} ${request.path}: ${result.errorMessage ?? result.status}`);
    }
    return result.body;
  }
}
