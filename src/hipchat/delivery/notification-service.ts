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
import type { DeadLetter, Delivery, NewOutboxItem, OutboxStore } from './outbox-store';
import { decideRoomBacklog, type RoomBacklogLimit } from './room-backlog';

export interface EnqueueOptions {
  /** The transaction of the change that causes the call: the call is queued only if it commits. */
  tx?: Queryable;
}

export interface NotificationServiceOptions {
  /** A target's HipChat API URL, where the outbox cannot read it itself (see CredentialProvider.apiUrl). */
  locate?: (target: DeliveryTarget, tx?: Queryable) => Promise<string | undefined>;
  /** When a room counts as backlogged (see assertRoomAccepts); unset = never. */
  backlog?: RoomBacklogLimit;
}

/**
 * The one way the add-on talks to HipChat's REST API: validates the payload at once (400 naming the
 * field), then queues the call in the outbox; the worker delivers it at least once, in order per room.
 */
export class NotificationService {
  constructor(
    private readonly outbox: OutboxStore,
    private readonly options: NotificationServiceOptions = {},
  ) {}

  /**
   * Backpressure for producers outside HipChat (incoming hooks): 429 with Retry-After while the room
   * already has more messages pending than HipChat's flood limit lets through within the backlog
   * horizon. What was queued before stays queued; only new work is turned away. Called in the
   * transaction that then queues the message, the check and the insert are one step for the room.
   */
  async assertRoomAccepts(target: DeliveryTarget, options: EnqueueOptions = {}): Promise<void> {
    const limit = this.options.backlog;
    if (!limit) return;
    assertDeliveryTarget(target);
    const pending = await this.outbox.pendingMessages(target, await this.locate(target, options.tx), options.tx);
    const decision = decideRoomBacklog(pending, limit);
    if (decision.accepted) return;
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    throw new HttpError(
      429,
      'room_backlogged',
      `Room ${target.roomId} already has ${pending} messages waiting for HipChat (at most ${decision.bound}); retry in ${seconds} s`,
      { 'Retry-After': String(seconds) },
    );
  }

  async sendRoomNotification(target: DeliveryTarget, notification: RoomNotification, options: EnqueueOptions = {}) {
    const valid = parseRoomNotification(notification);
    return this.enqueue(target, 'room_notification', roomNotificationRequest(target.roomId, valid), true, options);
  }

  async sendRoomMessage(target: DeliveryTarget, message: { message: string }, options: EnqueueOptions = {}) {
    const valid = parseRoomMessage(message);
    return this.enqueue(target, 'room_message', roomMessageRequest(target.roomId, valid), true, options);
  }

  /**
   * One queued call per glance key, each in a queue of its own beside the room's messages (a glance
   * update is no message: flood control does not count it, and it need not wait behind them). Only the
   * newest content matters, so it supersedes an update of the same glance still waiting to be sent.
   * `deliveryId` is the last key's; `deliveryIds` has one per key, in order.
   */
  async updateRoomGlance(
    target: DeliveryTarget,
    glance: Array<{ key: string; content: GlanceContent }>,
    options: EnqueueOptions = {},
  ): Promise<{ deliveryId: string; deliveryIds: string[] }> {
    const valid = parseGlanceUpdate(glance);
    const deliveryIds: string[] = [];
    for (const one of valid) {
      const queued = await this.enqueue(target, 'room_glance', roomGlanceRequest(target.roomId, [one]), false, options, {
        queue: `glance:${one.key}`,
        supersedesPending: true,
      });
      deliveryIds.push(queued.deliveryId);
    }
    return { deliveryId: deliveryIds[deliveryIds.length - 1] as string, deliveryIds };
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
    queueing: Pick<NewOutboxItem, 'queue' | 'supersedesPending'> = {},
  ): Promise<{ deliveryId: string }> {
    assertDeliveryTarget(target);
    try {
      const apiUrl = await this.locate(target, options.tx);
      const deliveryId = await this.outbox.enqueue(
        { target, operation, request, countsAsMessage, apiUrl, ...queueing },
        options.tx,
      );
      return { deliveryId };
    } catch (error) {
      // The outbox references installations: an unknown oauthId is a caller's mistake, not a crash.
      if ((error as { code?: string }).code === '23503') {
        throw new HttpError(404, 'installation_not_found', 'No installation with this oauthId', {}, { cause: error });
      }
      throw error;
    }
  }

  private async locate(target: DeliveryTarget, tx?: Queryable): Promise<string | undefined> {
    return this.options.locate?.(target, tx);
  }
}
