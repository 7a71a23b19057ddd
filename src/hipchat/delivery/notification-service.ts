import { HttpError } from '../../shared/errors';
import type { Queryable } from '../../store/db';
import {
  createRoomWebhookRequest,
  deleteRoomWebhookRequest,
  roomGlanceRequest,
  roomMessageRequest,
  roomNotificationRequest,
  type ApiRequest,
} from '../api/hipchat-client';
import {
  parseGlanceUpdate,
  parseModuleKey,
  parseRoomMessage,
  parseRoomNotification,
  parseRoomWebhook,
  type GlanceContent,
  type RoomNotification,
  type RoomWebhook,
} from '../api/hipchat-messages';
import { assertDeliveryTarget, type DeliveryTarget } from './delivery-target';
import type { DeadLetter, Delivery, OutboxStore } from './outbox-store';

export interface EnqueueOptions {
  /** The transaction of the change that causes the call: the call is queued only if it commits. */
  tx?: Queryable;
}

/**
 * The one way the add-on talks to HipChat's REST API: validates the payload at once (400 naming the
 * field), then queues the call in the outbox; the worker delivers it at least once, in order per room.
 */
export class NotificationService {
  constructor(private readonly outbox: OutboxStore) {}

  async sendRoomNotification(target: DeliveryTarget, notification: RoomNotification, options: EnqueueOptions = {}) {
    const valid = parseRoomNotification(notification);
    return this.enqueue(target, 'room_notification', roomNotificationRequest(target.roomId, valid), true, options);
  }

  async sendRoomMessage(target: DeliveryTarget, message: { message: string }, options: EnqueueOptions = {}) {
    const valid = parseRoomMessage(message);
    return this.enqueue(target, 'room_message', roomMessageRequest(target.roomId, valid), true, options);
  }

  async updateRoomGlance(
    target: DeliveryTarget,
    glance: Array<{ key: string; content: GlanceContent }>,
    options: EnqueueOptions = {},
  ) {
    const valid = parseGlanceUpdate(glance);
    return this.enqueue(target, 'room_glance', roomGlanceRequest(target.roomId, valid), false, options);
  }

  async createRoomWebhook(target: DeliveryTarget, key: string, webhook: RoomWebhook, options: EnqueueOptions = {}) {
    const validKey = parseModuleKey(key, 'webhook key');
    const valid = parseRoomWebhook(webhook);
    return this.enqueue(target, 'create_room_webhook', createRoomWebhookRequest(target.roomId, validKey, valid), false, options);
  }

  async deleteRoomWebhook(target: DeliveryTarget, key: string, options: EnqueueOptions = {}) {
    const validKey = parseModuleKey(key, 'webhook key');
    return this.enqueue(target, 'delete_room_webhook', deleteRoomWebhookRequest(target.roomId, validKey), false, options);
  }

  getDelivery(deliveryId: string): Promise<Delivery | undefined> {
    return this.outbox.get(deliveryId);
  }

  listDeadLetters(limit?: number): Promise<DeadLetter[]> {
    return this.outbox.listDeadLetters(limit);
  }

  /** Queues a dead-lettered call again (at the end of its room's queue). */
  async replay(deliveryId: string): Promise<void> {
    if (!(await this.outbox.replay(deliveryId))) {
      throw new HttpError(404, 'delivery_not_found', 'No failed delivery with this id');
    }
  }

  private async enqueue(
    target: DeliveryTarget,
    operation: string,
    request: ApiRequest,
    countsAsMessage: boolean,
    options: EnqueueOptions,
  ): Promise<{ deliveryId: string }> {
    assertDeliveryTarget(target);
    try {
      const deliveryId = await this.outbox.enqueue({ target, operation, request, countsAsMessage }, options.tx);
      return { deliveryId };
    } catch (error) {
      // The outbox references installations: an unknown oauthId is a caller's mistake, not a crash.
      if ((error as { code?: string }).code === '23503') {
        throw new HttpError(404, 'installation_not_found', 'No installation with this oauthId', {}, { cause: error });
      }
      throw error;
    }
  }
}
