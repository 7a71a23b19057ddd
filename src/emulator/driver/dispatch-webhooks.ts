import type { EmulatorContext } from '../emulator-context';
import { notificationItem, validateNotification } from '../api/validate-notification';
import type { AddonSender, HistoryItem, Installation, Room, WebhookDeclaration, WebhookEvent } from '../model/types';
import { signHipChatJwt } from './sign-hipchat-jwt';
import { describeFailure, sendHttpRequest } from './send-http-request';

export interface WebhookResult {
  target: 'addon' | 'integration';
  oauthId?: string;
  integrationId?: string;
  webhookKey: string;
  webhookId: number | string;
  url: string;
  /** The add-on's HTTP status; absent when the request failed (see error). */
  status?: number;
  error?: string;
  /** The notification posted from the add-on's JSON reply. */
  reply?: HistoryItem;
  /** Why a JSON reply was not posted. */
  replyError?: string;
}

/** What a webhook matched: the event, the acting user (if a person acted), the room and the event-specific item. */
export interface RoomEvent {
  event: WebhookEvent;
  room: Room;
  /** The JWT's `sub`; absent when no person caused the event (the JWT then carries no `sub`). */
  userId?: number;
  item: Record<string, unknown>;
  /** Message text for pattern matching (room_message only). */
  text?: string;
}

export function roomReference(ctx: EmulatorContext, room: Room): Record<string, unknown> {
  const self = `${ctx.baseUrl()}/v2/room/${room.id}`;
  return { id: room.id, name: room.name, links: { self, webhooks: `${self}/webhook`, members: `${self}/member`, participants: `${self}/participant` } };
}

/** Webhooks of an installation that fire for an event: declared in its descriptor plus those registered for the room. */
export function matchingWebhooks(ctx: EmulatorContext, installation: Installation, event: RoomEvent): WebhookDeclaration[] {
  const declared = (installation.descriptor.capabilities?.webhook ?? []).map((hook, index) => ({ ...hook, index }));
  const all: WebhookDeclaration[] = declared.map((hook) => ({
    key: hook.key ?? `webhook-${hook.index}`,
    id: webhookNumericId(ctx, installation.oauthId, hook.key ?? `webhook-${hook.index}`),
    url: hook.url,
    event: hook.event,
    // HipChat signed webhooks even without `authentication: jwt` (libraries relied on it), so the emulator always does.
    authentication: hook.authentication ?? 'none',
    source: 'descriptor',
    ...(hook.pattern !== undefined ? { pattern: hook.pattern } : {}),
    ...(hook.name !== undefined ? { name: hook.name } : {}),
  }));
  for (const hook of ctx.state.apiWebhooks.values()) {
    if (hook.oauthId === installation.oauthId && hook.roomId === event.room.id) all.push(hook);
  }
  return all.filter((hook) => hook.event === event.event && (event.event !== 'room_message' || matchesPattern(hook.pattern, event.text ?? '')));
}

const webhookIds = new WeakMap<EmulatorContext, Map<string, number>>();
function webhookNumericId(ctx: EmulatorContext, oauthId: string, key: string): number {
  let ids = webhookIds.get(ctx);
  if (!ids) webhookIds.set(ctx, (ids = new Map()));
  const id = `${oauthId} ${key}`;
  let value = ids.get(id);
  if (value === undefined) ids.set(id, (value = ctx.state.allocateWebhookId()));
  return value;
}

/** A missing pattern matches every message; an invalid one (API-registered only) matches none. */
export function matchesPattern(pattern: string | undefined, text: string): boolean {
  if (pattern === undefined) return true;
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}

/** Posts the add-on's JSON reply (send-notification format) into the room, as HipChat did. */
function postReply(ctx: EmulatorContext, room: Room, reply: unknown, sender: AddonSender): { reply?: HistoryItem; replyError?: string } {
  const result = validateNotification(reply, (id) => ctx.state.findHistoryItem(room.id, id) !== undefined);
  if (!result.ok) return { replyError: result.message };
  const notification = result.value;
  const item = ctx.state.appendHistory(notificationItem(room.id, notification.from ? { ...sender, label: notification.from } : sender, notification));
  void announceNotification(ctx, room, item);
  return { reply: item };
}

export interface WebhookDelivery {
  target: 'addon' | 'integration';
  oauthId?: string;
  integrationId?: string;
  issuer: string;
  secret: string;
  hook: { key: string; id: number | string; url: string };
  sender: AddonSender;
}

/**
 * POSTs one webhook with `Authorization: JWT <token>`. HipChat's webhook timeout was never
 * documented; the emulator waits 10 s (configurable) before giving up.
 */
export async function deliverWebhook(ctx: EmulatorContext, event: RoomEvent, delivery: WebhookDelivery): Promise<WebhookResult> {
  const base: WebhookResult = {
    target: delivery.target,
    webhookKey: delivery.hook.key,
    webhookId: delivery.hook.id,
    url: delivery.hook.url,
    ...(delivery.oauthId ? { oauthId: delivery.oauthId } : {}),
    ...(delivery.integrationId ? { integrationId: delivery.integrationId } : {}),
  };
  const payload = { event: event.event, item: event.item, oauth_client_id: delivery.issuer, webhook_id: delivery.hook.id };
  const token = signHipChatJwt({ issuer: delivery.issuer, secret: delivery.secret, roomId: event.room.id, ...(event.userId !== undefined ? { userId: event.userId } : {}) });
  try {
    const response = await sendHttpRequest(delivery.hook.url, {
      method: 'POST',
      json: payload,
      headers: { Authorization: `JWT ${token}` },
      timeoutMs: ctx.settings.webhookTimeoutMs,
    });
    const result: WebhookResult = { ...base, status: response.status };
    if (response.status >= 200 && response.status < 300 && response.json !== undefined && event.event === 'room_message') {
      Object.assign(result, postReply(ctx, event.room, response.json, delivery.sender));
    }
    return result;
  } catch (error) {
    return { ...base, error: describeFailure(error) };
  }
}

export interface DispatchOptions {
  /** Who receives the event instead of the room's installations (e.g. a deleted room's former ones). */
  installations?: Installation[];
  /** An installation that must not receive it: the add-on whose own notification caused a room_notification. */
  exceptOauthId?: string;
}

/**
 * Sends an event to every installation in the room whose webhooks match, and to build-your-own integrations.
 * room_created and room_deleted go to global installations only: a room installation sees one room, and
 * learns that its room was deleted by being uninstalled (the emulator's reading; HipChat did not say).
 */
export async function dispatchRoomEvent(ctx: EmulatorContext, event: RoomEvent, options: DispatchOptions = {}): Promise<WebhookResult[]> {
  const deliveries: WebhookDelivery[] = [];
  const globalOnly = event.event === 'room_created' || event.event === 'room_deleted';
  const installations = (options.installations ?? ctx.state.installationsForRoom(event.room.id)).filter(
    (installation) => installation.oauthId !== options.exceptOauthId && (!globalOnly || installation.roomId === undefined),
  );
  for (const installation of installations) {
    const fromName = installation.descriptor.capabilities?.hipchatApiConsumer?.fromName ?? installation.addonName;
    const sender: AddonSender = { kind: 'addon', label: fromName, oauthId: installation.oauthId, addonKey: installation.addonKey };
    for (const hook of matchingWebhooks(ctx, installation, event)) {
      deliveries.push({ target: 'addon', oauthId: installation.oauthId, issuer: installation.oauthId, secret: installation.oauthSecret, hook, sender });
    }
  }
  if (event.event === 'room_message') {
    for (const integration of ctx.state.integrations.values()) {
      const command = integration.slashCommand;
      if (integration.roomId !== event.room.id || !command) continue;
      const text = event.text ?? '';
      if (text !== command.command && !text.startsWith(`${command.command} `)) continue;
      deliveries.push({
        target: 'integration',
        integrationId: integration.id,
        issuer: integration.id,
        secret: integration.secret,
        hook: { key: 'slash-command', id: integration.id, url: command.url },
        sender: { kind: 'addon', label: integration.name, integrationId: integration.id },
      });
    }
  }
  return Promise.all(deliveries.map((delivery) => deliverWebhook(ctx, event, delivery)));
}

/**
 * `item.message` of room_notification: a room message's shape with `from` the sender's label (a
 * string, not a user), plus the notification's format and colour (and card, attach_to when set).
 */
export function notificationEventItem(ctx: EmulatorContext, room: Room, item: HistoryItem): Record<string, unknown> {
  const message: Record<string, unknown> = {
    id: item.id,
    date: item.date,
    from: item.from.kind === 'addon' ? item.from.label : item.from.name,
    message: item.message,
    message_format: item.message_format,
    color: item.color ?? 'yellow',
    type: 'notification',
    mentions: [],
    ...(item.card ? { card: item.card } : {}),
    ...(item.attach_to ? { attach_to: item.attach_to } : {}),
  };
  return { message, room: roomReference(ctx, room) };
}

/**
 * Fires room_notification for a notification posted in a room (REST call, webhook reply, control API).
 * The add-on that posted it is left out, so an add-on that answers notifications cannot answer its own
 * and loop. No person sent it: the JWT has no `sub`.
 */
export function announceNotification(ctx: EmulatorContext, room: Room, item: HistoryItem): Promise<WebhookResult[]> {
  const exceptOauthId = item.from.kind === 'addon' ? item.from.oauthId : undefined;
  return dispatchRoomEvent(ctx, { event: 'room_notification', room, item: notificationEventItem(ctx, room, item) }, exceptOauthId ? { exceptOauthId } : {});
}
