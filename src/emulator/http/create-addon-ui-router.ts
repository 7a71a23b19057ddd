import express, { Router, type Request } from 'express';
import type { EmulatorContext } from '../emulator-context';
import { validateGlanceContent } from '../api/validate-glance-content';
import { emulatorExtras } from '../model/emulator-extras';
import type { GlanceContent, Installation } from '../model/types';
import { getAccessToken, resolveRoomForToken } from './authenticate-api-request';
import { HipChatError } from './hipchat-error';

type GlanceUpdate = { key: string; content: GlanceContent };

/** `{glance: [{key, content}]}` with declared keys only; every entry checked before any is stored. */
function readGlanceUpdates(installation: Installation, req: Request): GlanceUpdate[] {
  const body = req.body as { glance?: unknown } | undefined;
  if (!body || !Array.isArray(body.glance) || body.glance.length === 0) throw new HipChatError(400, 'glance: must be a non-empty array');
  const declared = new Set((installation.descriptor.capabilities?.glance ?? []).map((glance) => glance.key));
  return body.glance.map((entry: unknown, index) => {
    const record = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof record.key !== 'string' || !declared.has(record.key)) {
      throw new HipChatError(400, `glance[${index}].key: not a glance declared by this add-on's descriptor`);
    }
    const content = validateGlanceContent(record.content, `glance[${index}].content`);
    if (!content.ok) throw new HipChatError(400, content.message);
    return { key: record.key, content: content.value };
  });
}

function installationOf(ctx: EmulatorContext, oauthId: string | undefined): Installation {
  const installation = oauthId ? ctx.state.installations.get(oauthId) : undefined;
  if (!installation) throw new HipChatError(403, 'Only add-on installations can update glances');
  return installation;
}

/**
 * Pushed glance updates: `POST /v2/addon/ui/room/{room_id}` (every user in the room) and
 * `POST /v2/addon/ui/user/{user_id}` (one user, in every room where the add-on's glance shows; it wins
 * over the room's value for that user). HipChat documented no scope for either; the emulator requires
 * an add-on installation token (not a room notification token). A room installation may push to any
 * user of its group (the emulator's reading: the glance only shows in its room anyway).
 */
export function createAddonUiRouter(ctx: EmulatorContext): Router {
  const router = Router();
  const json = express.json({ limit: '100kb' });
  router.post('/addon/ui/room/:room', json, (req, res) => {
    const token = getAccessToken(res);
    const installation = installationOf(ctx, token.oauthId);
    const roomParam = req.params.room;
    if (typeof roomParam !== 'string' || !/^\d+$/.test(roomParam)) throw new HipChatError(404, 'Room not found');
    const room = resolveRoomForToken(ctx, token, roomParam);
    for (const update of readGlanceUpdates(installation, req)) {
      ctx.state.setGlance({ oauthId: installation.oauthId, roomId: room.id, key: update.key, content: update.content, source: 'push' });
    }
    res.status(204).end();
  });
  router.post('/addon/ui/user/:user', json, (req, res) => {
    const token = getAccessToken(res);
    const installation = installationOf(ctx, token.oauthId);
    const userParam = req.params.user;
    const user = typeof userParam === 'string' && /^\d+$/.test(userParam) ? ctx.state.users.get(Number(userParam)) : undefined;
    if (!user || user.groupId !== token.groupId) throw new HipChatError(404, 'User not found');
    for (const update of readGlanceUpdates(installation, req)) {
      emulatorExtras(ctx.state).setUserGlance({ oauthId: installation.oauthId, userId: user.id, key: update.key, content: update.content });
    }
    res.status(204).end();
  });
  return router;
}
