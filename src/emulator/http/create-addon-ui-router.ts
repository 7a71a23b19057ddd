import express, { Router } from 'express';
import type { EmulatorContext } from '../emulator-context';
import { validateGlanceContent } from '../api/validate-glance-content';
import type { GlanceContent } from '../model/types';
import { getAccessToken, resolveRoomForToken } from './authenticate-api-request';
import { HipChatError } from './hipchat-error';

/**
 * `POST /v2/addon/ui/room/{room_id}`: pushed glance updates. HipChat documented no scope for this
 * endpoint; the emulator requires an add-on installation token (not a room notification token).
 */
export function createAddonUiRouter(ctx: EmulatorContext): Router {
  const router = Router();
  router.post('/addon/ui/room/:room', express.json({ limit: '100kb' }), (req, res) => {
    const token = getAccessToken(res);
    const installation = token.oauthId ? ctx.state.installations.get(token.oauthId) : undefined;
    if (!installation) throw new HipChatError(403, 'Only add-on installations can update glances');
    const roomParam = req.params.room;
    if (typeof roomParam !== 'string' || !/^\d+$/.test(roomParam)) throw new HipChatError(404, 'Room not found');
    const room = resolveRoomForToken(ctx, token, roomParam);
    const body = req.body as { glance?: unknown } | undefined;
    if (!body || !Array.isArray(body.glance) || body.glance.length === 0) throw new HipChatError(400, 'glance: must be a non-empty array');
    const declared = new Set((installation.descriptor.capabilities?.glance ?? []).map((glance) => glance.key));
    const updates: Array<{ key: string; content: GlanceContent }> = [];
    body.glance.forEach((entry: unknown, index) => {
      const record = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
      if (typeof record.key !== 'string' || !declared.has(record.key)) {
        throw new HipChatError(400, `glance[${index}].key: not a glance declared by this add-on's descriptor`);
      }
      const content = validateGlanceContent(record.content, `glance[${index}].content`);
      if (!content.ok) throw new HipChatError(400, content.message);
      updates.push({ key: record.key, content: content.value });
    });
    for (const update of updates) {
      ctx.state.setGlance({ oauthId: installation.oauthId, roomId: room.id, key: update.key, content: update.content, source: 'push' });
    }
    res.status(204).end();
  });
  return router;
}
