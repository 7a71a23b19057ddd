import express, { Router, type Request } from 'express';
import type { Emulator } from '../emulator';
import { InstallError } from '../driver/installer';
import { GlanceError } from '../driver/query-glance';
import type { Limits } from '../model/types';
import { HipChatError } from './hipchat-error';
import { createRoomEventsRoutes } from './control/room-events-routes';

function body(req: Request): Record<string, unknown> {
  return typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
}

function int(value: unknown, field: string): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(number)) throw new HipChatError(400, `${field}: must be an integer`);
  return number;
}

function str(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new HipChatError(400, `${field}: must be a non-empty string`);
  return value;
}

function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new HipChatError(400, `${field}: must be true or false`);
  return value;
}

/** Turns driver errors into 4xx answers with their details. */
async function guard<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InstallError) throw new HipChatError(error.details.addonStatus ? 502 : 400, error.message);
    if (error instanceof GlanceError) throw new HipChatError(502, error.message);
    if (error instanceof HipChatError) throw error;
    throw new HipChatError(400, error instanceof Error ? error.message : String(error));
  }
}

/** The JSON control API under /_emulator (documented in src/emulator/README.md). Loopback use only. */
export function createControlRouter(emulator: Emulator): Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/browser/done', (_req, res) => {
    res.type('text/plain').send('Done. (This is where HipChat sent the browser back after an install.)');
  });
  router.get('/state', (_req, res) => {
    res.json({ url: emulator.url, group: emulator.defaultGroup, rooms: emulator.rooms(), users: emulator.users(), installations: emulator.installations().map(summary), limits: emulator.limits });
  });
  router.get('/rooms', (_req, res) => void res.json(emulator.rooms()));
  router.post('/rooms', async (req, res) => {
    const input = body(req);
    const room = await guard(() =>
      emulator.createRoom({
        name: str(input.name, 'name'),
        ...(typeof input.topic === 'string' ? { topic: input.topic } : {}),
        ...(input.ownerId !== undefined && input.ownerId !== null ? { ownerId: int(input.ownerId, 'ownerId') } : {}),
      }),
    );
    res.status(201).json(room);
  });
  router.put('/rooms/:roomId/owner', async (req, res) => {
    const userId = body(req).userId;
    res.json(await guard(() => emulator.setRoomOwner(int(req.params.roomId, 'roomId'), userId === null ? null : int(userId, 'userId'))));
  });
  router.get('/users', (_req, res) => void res.json(emulator.users()));
  router.post('/users', async (req, res) => {
    const input = body(req);
    const user = await guard(() =>
      emulator.createUser({
        name: str(input.name, 'name'),
        ...(typeof input.mention_name === 'string' ? { mention_name: input.mention_name } : {}),
        ...(input.is_group_admin !== undefined ? { is_group_admin: bool(input.is_group_admin, 'is_group_admin') } : {}),
      }),
    );
    res.status(201).json(user);
  });
  router.put('/users/:userId', async (req, res) => {
    const input = body(req);
    res.json(await guard(() => emulator.setGroupAdmin(int(req.params.userId, 'userId'), bool(input.is_group_admin, 'is_group_admin'))));
  });
  router.get('/rooms/:roomId/history', async (req, res) => {
    res.json(await guard(() => emulator.history(int(req.params.roomId, 'roomId'))));
  });
  router.post('/rooms/:roomId/messages', async (req, res) => {
    const input = body(req);
    res.status(201).json(await guard(() => emulator.postMessage(int(req.params.roomId, 'roomId'), int(input.userId, 'userId'), str(input.message, 'message'))));
  });
  router.post('/rooms/:roomId/enter', async (req, res) => {
    res.json({ webhooks: await guard(() => emulator.enterRoom(int(req.params.roomId, 'roomId'), int(body(req).userId, 'userId'))) });
  });
  router.post('/rooms/:roomId/exit', async (req, res) => {
    res.json({ webhooks: await guard(() => emulator.exitRoom(int(req.params.roomId, 'roomId'), int(body(req).userId, 'userId'))) });
  });
  router.put('/rooms/:roomId/topic', async (req, res) => {
    const input = body(req);
    res.json({ webhooks: await guard(() => emulator.setTopic(int(req.params.roomId, 'roomId'), int(input.userId, 'userId'), typeof input.topic === 'string' ? input.topic : '')) });
  });
  router.post('/rooms/:roomId/notification-tokens', async (req, res) => {
    res.status(201).json({ token: await guard(() => emulator.createRoomNotificationToken(int(req.params.roomId, 'roomId'))) });
  });
  router.post('/rooms/:roomId/integrations', async (req, res) => {
    const input = body(req);
    const slash = input.slashCommand as { command?: unknown; url?: unknown } | undefined;
    const integration = await guard(() =>
      emulator.createBuildYourOwnIntegration(int(req.params.roomId, 'roomId'), {
        ...(typeof input.name === 'string' ? { name: input.name } : {}),
        ...(slash ? { slashCommand: { command: str(slash.command, 'slashCommand.command'), url: str(slash.url, 'slashCommand.url') } } : {}),
      }),
    );
    res.status(201).json(integration);
  });
  router.get('/installations', (_req, res) => void res.json(emulator.installations().map(summary)));
  router.post('/installations', async (req, res) => {
    const input = body(req);
    const installation = await guard(() => emulator.install(str(input.descriptorUrl, 'descriptorUrl'), input.roomId !== undefined ? { roomId: int(input.roomId, 'roomId') } : {}));
    res.status(201).json(summary(installation));
  });
  router.post('/installations/:oauthId/update', async (req, res) => {
    res.json(summary(await guard(() => emulator.update(req.params.oauthId))));
  });
  router.delete('/installations/:oauthId', async (req, res) => {
    res.json(await guard(() => emulator.uninstall(req.params.oauthId)));
  });
  router.post('/installations/:oauthId/forged-uninstall', async (req, res) => {
    res.json(await guard(() => emulator.sendForgedUninstall(req.params.oauthId)));
  });
  router.post('/installations/:oauthId/jwt', async (req, res) => {
    const input = body(req);
    const token = await guard(() => emulator.mintJwt(req.params.oauthId, { userId: int(input.userId, 'userId'), ...(input.roomId !== undefined ? { roomId: int(input.roomId, 'roomId') } : {}) }));
    res.json({ jwt: token });
  });
  router.post('/installations/:oauthId/signed-url', async (req, res) => {
    const input = body(req);
    const kind = str(input.kind, 'kind');
    if (!['webPanel', 'dialog', 'configurable', 'adminPage', 'externalPage'].includes(kind)) throw new HipChatError(400, 'kind: must be webPanel, dialog, configurable, adminPage or externalPage');
    const url = await guard(() =>
      emulator.signedUrl(req.params.oauthId, {
        kind: kind as 'webPanel',
        roomId: int(input.roomId, 'roomId'),
        userId: int(input.userId, 'userId'),
        ...(typeof input.key === 'string' ? { key: input.key } : {}),
      }),
    );
    res.json({ url });
  });
  router.post('/installations/:oauthId/glances/:key/query', async (req, res) => {
    const input = body(req);
    res.json(await guard(() => emulator.queryGlance(req.params.oauthId, int(input.roomId, 'roomId'), int(input.userId, 'userId'), req.params.key)));
  });
  router.get('/installations/:oauthId/glances/:key', (req, res) => {
    const glance = emulator.getGlance(req.params.oauthId, int(req.query.roomId, 'roomId'), req.params.key);
    if (!glance) throw new HipChatError(404, 'No value for that glance yet');
    res.json(glance);
  });
  router.get('/limits', (_req, res) => void res.json(emulator.limits));
  router.put('/limits', (req, res) => {
    const input = body(req) as Partial<Limits>;
    for (const name of ['rateLimit', 'floodControl'] as const) {
      const limit = input[name];
      if (limit !== undefined && !(Number.isInteger(limit.limit) && limit.limit > 0 && limit.windowMs > 0)) {
        throw new HipChatError(400, `${name}: must be {limit: positive integer, windowMs: positive number}`);
      }
    }
    emulator.setLimits(input);
    res.json(emulator.limits);
  });
  router.put('/token-lifetime', async (req, res) => {
    const seconds = body(req).seconds;
    await guard(() => emulator.setTokenLifetime(typeof seconds === 'number' ? seconds : NaN));
    res.json({ seconds });
  });
  router.put('/failure-mode', (req, res) => {
    const mode = body(req).mode;
    if (mode !== '503' && mode !== null) throw new HipChatError(400, 'mode: must be "503" or null');
    emulator.setFailureMode(mode);
    res.json({ mode });
  });
  router.post('/outage', (req, res) => {
    const seconds = body(req).seconds;
    if (typeof seconds !== 'number' || seconds <= 0 || seconds > 600) throw new HipChatError(400, 'seconds: must be a number in (0, 600]');
    res.json({ offlineForSeconds: seconds });
    res.on('finish', () => {
      void emulator.goOffline().then(() => setTimeout(() => void emulator.goOnline(), seconds * 1000));
    });
  });
  router.get('/stats', (_req, res) => void res.json(emulator.stats()));
  router.use(createRoomEventsRoutes(emulator));
  return router;
}

function summary(installation: { oauthId: string; addonKey: string; addonName: string; groupId: number; roomId?: number; scopes: string[]; descriptorUrl: string; active: boolean }) {
  const { oauthId, addonKey, addonName, groupId, roomId, scopes, descriptorUrl, active } = installation;
  return { oauthId, addonKey, addonName, groupId, roomId, scopes, descriptorUrl, active };
}
