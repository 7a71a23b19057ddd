import type { EmulatorContext } from '../emulator-context';
import { notificationItem, validateNotification } from '../api/validate-notification';
import type { AddonSender, HistoryItem, Installation, Room, WebhookDeclaration } from '../model/types';
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

/** What a webhook matched: the event, the acting user, the room and the event-specific item. */
export interface RoomEvent {
  event: 'room_message' | 'room_enter' | 'room_exit' | 'room_topic_change';
  room: Room;
  userId: number;
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
  const token = signHipChatJwt({ issuer: delivery.issuer, secret: delivery.secret, userId: event.userId, roomId: event.room.id });
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

/** Sends an event to every installation in the room whose webhooks match, and to build-your-own integrations. */
export async function dispatchRoomEvent(ctx: EmulatorContext, event: RoomEvent): Promise<WebhookResult[]> {
  const deliveries: WebhookDelivery[] = [];
  for (const installation of ctx.state.installationsForRoom(event.room.id)) {
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
