import crypto from 'node:crypto';
import type { DeliveryTarget } from '../../hipchat/delivery/delivery-target';
import type { NotificationService } from '../../hipchat/delivery/notification-service';
import type { Delivery } from '../../hipchat/delivery/outbox-store';
import type { ReplayGuard } from '../../hipchat/replay/replay-guard';
import { badRequest, forbidden, HttpError, notFound } from '../../shared/errors';
import type { Db } from '../../store/db';
import type { ConnectionStore } from '../connections/connection-store';
import { authorizeRoom, ownerOf, visibleRoom, type GatewayCaller, type RoomAdminCheck } from '../gateway-caller';
import { onceForCaller, refuseReplayedCaller } from '../once-for-caller';
import { hashSecret, isUrlSecretShaped, newUrlSecret } from '../url-secret';
import type { HookRateLimiter } from './hook-rate-limiter';
import type { Hook, HookStore } from './hook-store';
import { parseHookPayload } from './parse-hook-payload';

export type HookNotifications = Pick<NotificationService, 'sendRoomNotification' | 'getDelivery' | 'assertRoomAccepts'>;

export interface NewHookRequest {
  roomId?: number;
  connectionId?: string;
  label?: string;
}

export interface HookServiceDeps {
  db: Db;
  hooks: HookStore;
  connections: ConnectionStore;
  notifications: HookNotifications;
  limiter: HookRateLimiter;
  baseUrl: string;
  replay: ReplayGuard;
  /** A JWT caller must administer the hook's room (RoomAdminAuthority.require). */
  roomAdmins: RoomAdminCheck;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Creates, lists and revokes incoming hooks, and turns what they receive into queued notifications. */
export class HookService {
  constructor(private readonly deps: HookServiceDeps) {}

  /** The URL is returned here and never again: only its hash is stored. */
  async create(caller: GatewayCaller, request: NewHookRequest): Promise<{ hook: Hook; url: string }> {
    const within = onceForCaller(caller, this.deps.db, this.deps.replay);
    const { target, oauthId } = await this.targetFor(caller, request);
    // The URL posts into target.roomId with any label: only an admin of that room may have one.
    await authorizeRoom(this.deps.roomAdmins, caller, target.roomId);
    const secret = newUrlSecret();
    const newHook = { id: crypto.randomUUID(), secretHash: hashSecret(secret), target, oauthId, label: request.label ?? null };
    const hook = await within.transaction((tx) => this.deps.hooks.insert(newHook, tx));
    return { hook, url: `${this.deps.baseUrl}/hooks/${secret}` };
  }

  /** A group admin (or the server's admin) sees every hook of the installation; a room owner those of the room. */
  async list(caller: GatewayCaller): Promise<Hook[]> {
    const room = await visibleRoom(this.deps.roomAdmins, caller);
    const hooks = await this.deps.hooks.list(ownerOf(caller));
    return room === undefined ? hooks : hooks.filter((hook) => hook.target.roomId === room);
  }

  async revoke(caller: GatewayCaller, id: string): Promise<void> {
    await refuseReplayedCaller(caller, this.deps.replay);
    const hook = UUID.test(id) ? await this.deps.hooks.find(id, ownerOf(caller)) : undefined;
    if (!hook) throw hookNotFound();
    await authorizeRoom(this.deps.roomAdmins, caller, hook.target.roomId);
    const within = onceForCaller(caller, this.deps.db, this.deps.replay);
    await within.transaction(async (tx) => {
      if (!(await this.deps.hooks.delete(id, ownerOf(caller), tx))) throw hookNotFound();
    });
  }

  /**
   * Validates and queues what a hook received. The delivery and its link to the hook are written in
   * one transaction, so once this resolves the notification is durably queued.
   */
  async receive(secret: string, body: unknown): Promise<{ deliveryId: string }> {
    const hook = await this.findHook(secret);
    const decision = this.deps.limiter.take(hook.id);
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      throw new HttpError(429, 'rate_limited', `This hook received too many requests; retry in ${seconds} s`, {
        'Retry-After': String(seconds),
      });
    }
    const notification = parseHookPayload(body);
    try {
      return await this.deps.db.transaction(async (tx) => {
        // A room HipChat already cannot keep up with takes no more: the hook's sender retries later.
        await this.deps.notifications.assertRoomAccepts(hook.target, { tx });
        const queued = await this.deps.notifications.sendRoomNotification(hook.target, notification, { tx });
        await this.deps.hooks.recordDelivery(hook.id, queued.deliveryId, tx);
        return queued;
      });
    } catch (error) {
      // Revoked (or its room disconnected) between the look-up and the insert.
      if ((error as { code?: string }).code === '23503') throw hookNotFound();
      throw error;
    }
  }

  /** The state of one delivery this hook queued; another hook's deliveries are not found. */
  async delivery(secret: string, deliveryId: string): Promise<Delivery> {
    const hook = await this.findHook(secret);
    const delivery =
      UUID.test(deliveryId) && (await this.deps.hooks.hasDelivery(hook.id, deliveryId))
        ? await this.deps.notifications.getDelivery(deliveryId)
        : undefined;
    if (!delivery) throw notFound('This hook queued no delivery with this id', 'delivery_not_found');
    return delivery;
  }

  private async findHook(secret: string): Promise<Hook> {
    const hook = isUrlSecretShaped(secret) ? await this.deps.hooks.findBySecretHash(hashSecret(secret)) : undefined;
    if (!hook) throw hookNotFound();
    return hook;
  }

  private async targetFor(caller: GatewayCaller, request: NewHookRequest): Promise<{ target: DeliveryTarget; oauthId: string | null }> {
    if (request.connectionId !== undefined) {
      const connection = UUID.test(request.connectionId) ? await this.deps.connections.get(request.connectionId) : undefined;
      const owner = ownerOf(caller);
      if (!connection || (owner !== undefined && connection.oauthId !== owner)) {
        throw notFound('No connection with this id', 'connection_not_found');
      }
      if (request.roomId !== undefined && request.roomId !== connection.roomId) {
        throw badRequest(`roomId: the connection is for room ${connection.roomId}`);
      }
      return {
        target: { kind: 'room_token', connectionId: connection.id, roomId: connection.roomId },
        oauthId: connection.oauthId,
      };
    }
    if (caller.kind === 'admin') {
      throw badRequest(
        'connectionId: required with the admin token (hooks for installed rooms are made from the configuration page)',
      );
    }
    const { installation, roomId: contextRoom } = caller.context;
    if (installation.roomId !== null && request.roomId !== undefined && request.roomId !== installation.roomId) {
      throw forbidden(`This installation is for room ${installation.roomId} only`, 'wrong_room');
    }
    const roomId = installation.roomId ?? request.roomId ?? contextRoom;
    if (roomId === null || roomId === undefined) throw badRequest('roomId: required for a global installation');
    return { target: { kind: 'installation', oauthId: installation.oauthId, roomId }, oauthId: installation.oauthId };
  }
}

function hookNotFound(): HttpError {
  return notFound('No such hook (it may have been revoked)', 'hook_not_found');
}
