import express, { Router, type Request } from 'express';
import type { EmulatorContext } from '../emulator-context';
import { notificationItem, validateNotification } from '../api/validate-notification';
import { senderForToken } from '../api/sender-for-token';
import { WEBHOOK_EVENTS, type Room, type WebhookDeclaration } from '../model/types';
import { announceNotification } from '../driver/dispatch-webhooks';
import { changeTopic } from '../driver/room-events';
import { applyFloodControl, getAccessToken, requireScope, resolveRoomForToken } from './authenticate-api-request';
import { HipChatError } from './hipchat-error';

const EVENTS: readonly string[] = WEBHOOK_EVENTS;

/** HipChat's answer to a message, notification or topic in an archived room (the status is the emulator's choice). */
function refuseIfArchived(room: Room): void {
  if (room.is_archived) throw new HipChatError(403, `Room ${room.name} is archived: it takes no new messages`);
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

function requireJsonObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HipChatError(400, 'body: must be a JSON object (Content-Type: application/json)');
  }
  return body as Record<string, unknown>;
}

export function roomJson(ctx: EmulatorContext, room: Room): Record<string, unknown> {
  const self = `${ctx.baseUrl()}/v2/room/${room.id}`;
  return {
    id: room.id,
    name: room.name,
    topic: room.topic,
    privacy: room.privacy,
    is_archived: room.is_archived === true,
    owner: ownerJson(ctx, room.ownerId),
    is_guest_accessible: false,
    created: room.created,
    xmpp_jid: `${room.groupId}_${room.name.toLowerCase().replace(/\W+/g, '_')}@conf.emulator`,
    links: { self, webhooks: `${self}/webhook`, members: `${self}/member`, participants: `${self}/participant` },
  };
}

function ownerJson(ctx: EmulatorContext, ownerId: number | null): Record<string, unknown> | null {
  const owner = ownerId === null ? undefined : ctx.state.users.get(ownerId);
  if (!owner) return null;
  return { id: owner.id, name: owner.name, mention_name: owner.mention_name, links: { self: `${ctx.baseUrl()}/v2/user/${owner.id}` } };
}

/** The room endpoints of HipChat's REST API v2 that add-ons use. */
export function createRoomRouter(ctx: EmulatorContext): Router {
  const router = Router();
  const json = express.json({ limit: '100kb' });

  router.post('/room/:room/notification', json, (req, res) => {
    const token = getAccessToken(res);
    requireScope(token, 'send_notification');
    const room = resolveRoomForToken(ctx, token, param(req, 'room'));
    refuseIfArchived(room);
    const result = validateNotification(requireJsonObject(req.body), (id) => ctx.state.findHistoryItem(room.id, id) !== undefined);
    if (!result.ok) throw new HipChatError(400, result.message);
    // Flood control counts messages that would be posted, so it runs after validation.
    applyFloodControl(ctx, res, room.id);
    const notification = result.value;
    const item = ctx.state.appendHistory(notificationItem(room.id, senderForToken(ctx.state, token, notification.from), notification));
    res.status(204).end();
    // room_notification goes out after the answer, as HipChat's webhooks did (never to the sender itself).
    void announceNotification(ctx, room, item);
  });

  router.post('/room/:room/message', json, (req, res) => {
    const token = getAccessToken(res);
    requireScope(token, 'send_message');
    const room = resolveRoomForToken(ctx, token, param(req, 'room'));
    refuseIfArchived(room);
    const body = requireJsonObject(req.body);
    if (typeof body.message !== 'string' || body.message.length < 1 || body.message.length > 1000) {
      throw new HipChatError(400, 'message: is required, a string of 1 to 1000 characters');
    }
    applyFloodControl(ctx, res, room.id);
    // Messages sent through the API do not trigger room_message webhooks here (avoids add-on loops;
    // HipChat's behaviour was undocumented).
    const item = ctx.state.appendHistory({
      roomId: room.id,
      type: 'message',
      from: senderForToken(ctx.state, token),
      message: body.message,
      message_format: 'text',
      notify: false,
      mentions: [],
    });
    res.status(201).json({ id: item.id, timestamp: item.date });
  });

  router.get('/room/:room', (req, res) => {
    const token = getAccessToken(res);
    requireScope(token, 'view_room', 'view_group');
    const room = resolveRoomForToken(ctx, token, param(req, 'room'));
    ctx.stats.roomLookups += 1;
    res.json(roomJson(ctx, room));
  });

  // Set topic: 0–250 characters, 204 (API reference). Its scope is not in the archived page; the emulator asks
  // for admin_room ("perform room administrative tasks"), the stricter reading. No person set it: no item.sender.
  router.put('/room/:room/topic', json, async (req, res) => {
    const token = getAccessToken(res);
    requireScope(token, 'admin_room');
    const room = resolveRoomForToken(ctx, token, param(req, 'room'));
    const body = requireJsonObject(req.body);
    if (typeof body.topic !== 'string' || body.topic.length > 250) throw new HipChatError(400, 'topic: is required, a string of 0 to 250 characters');
    refuseIfArchived(room);
    // The topic is set at once (before the first await); room_topic_change goes out after the answer.
    const dispatched = changeTopic(ctx, room.id, body.topic);
    res.status(204).end();
    await dispatched.catch(() => undefined);
  });

  router.put('/room/:room/extension/webhook/:key', json, (req, res) => {
    const token = getAccessToken(res);
    requireScope(token, 'admin_room');
    const room = resolveRoomForToken(ctx, token, param(req, 'room'));
    if (!token.oauthId) throw new HipChatError(403, 'Only add-on installations can register webhooks');
    const key = param(req, 'key');
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(key)) throw new HipChatError(400, 'key: must be 1–40 characters of [A-Za-z0-9_.-]');
    const body = requireJsonObject(req.body);
    if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) throw new HipChatError(400, 'url: must be an absolute http(s) URL');
    if (typeof body.event !== 'string' || !EVENTS.includes(body.event)) throw new HipChatError(400, `event: must be one of ${EVENTS.join(', ')}`);
    if (body.pattern !== undefined) {
      try {
        if (typeof body.pattern !== 'string') throw new Error('not a string');
        new RegExp(body.pattern);
      } catch {
        throw new HipChatError(400, 'pattern: must be a valid regular expression');
      }
    }
    const id = `${token.oauthId} ${room.id} ${key}`;
    const existing = ctx.state.apiWebhooks.get(id);
    const hook: WebhookDeclaration & { oauthId: string } = {
      oauthId: token.oauthId,
      id: existing?.id ?? ctx.state.allocateWebhookId(),
      key,
      url: body.url,
      event: body.event,
      authentication: body.authentication === 'none' ? 'none' : 'jwt',
      source: 'api',
      roomId: room.id,
      ...(typeof body.pattern === 'string' ? { pattern: body.pattern } : {}),
      ...(typeof body.name === 'string' ? { name: body.name } : {}),
    };
    ctx.state.apiWebhooks.set(id, hook);
    res.status(200).json({ key, url: hook.url, event: hook.event, pattern: hook.pattern, name: hook.name, authentication: hook.authentication });
  });

  router.delete('/room/:room/extension/webhook/:key', (req, res) => {
    const token = getAccessToken(res);
    requireScope(token, 'admin_room');
    const room = resolveRoomForToken(ctx, token, param(req, 'room'));
    const id = `${token.oauthId ?? ''} ${room.id} ${param(req, 'key')}`;
    if (!ctx.state.apiWebhooks.delete(id)) throw new HipChatError(404, `No webhook with key ${param(req, 'key')} in this room`);
    res.status(204).end();
  });

  return router;
}
