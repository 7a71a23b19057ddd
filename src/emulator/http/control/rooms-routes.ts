import { Router } from 'express';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { integerSchema, nonEmptyStringSchema, roomIdParamsSchema } from './control-schemas';
import { guard } from './guard';
import { parseControlInput } from './parse-control-input';

const createRoomSchema = z.object({
  name: nonEmptyStringSchema,
  topic: z.string().optional(),
  ownerId: integerSchema.nullish(),
});
const ownerSchema = z.object({ userId: integerSchema.nullable() });
const userIdSchema = z.object({ userId: integerSchema });
const messageSchema = z.object({ userId: integerSchema, message: nonEmptyStringSchema });
const topicSchema = z.object({ userId: integerSchema, topic: z.string().default('') });
const integrationSchema = z.object({
  name: z.string().optional(),
  slashCommand: z.object({ command: nonEmptyStringSchema, url: nonEmptyStringSchema }).optional(),
});

/** Rooms: create, set the owner, read history, and act in them as a user (messages, enter/exit, topic). */
export function createRoomsRoutes(emulator: Emulator): Router {
  const router = Router();
  const roomId = (params: unknown): number => parseControlInput(roomIdParamsSchema, params, 'roomId').roomId;

  router.get('/rooms', (_req, res) => void res.json(emulator.rooms()));
  router.post('/rooms', async (req, res) => {
    const { name, topic, ownerId } = parseControlInput(createRoomSchema, req.body);
    const room = await guard(() => emulator.createRoom({ name, ...(topic !== undefined ? { topic } : {}), ...(ownerId != null ? { ownerId } : {}) }));
    res.status(201).json(room);
  });
  router.put('/rooms/:roomId/owner', async (req, res) => {
    const id = roomId(req.params);
    const { userId } = parseControlInput(ownerSchema, req.body);
    res.json(await guard(() => emulator.setRoomOwner(id, userId)));
  });
  router.get('/rooms/:roomId/history', async (req, res) => {
    const id = roomId(req.params);
    res.json(await guard(() => emulator.history(id)));
  });
  router.post('/rooms/:roomId/messages', async (req, res) => {
    const id = roomId(req.params);
    const { userId, message } = parseControlInput(messageSchema, req.body);
    res.status(201).json(await guard(() => emulator.postMessage(id, userId, message)));
  });
  router.post('/rooms/:roomId/enter', async (req, res) => {
    const id = roomId(req.params);
    const { userId } = parseControlInput(userIdSchema, req.body);
    res.json({ webhooks: await guard(() => emulator.enterRoom(id, userId)) });
  });
  router.post('/rooms/:roomId/exit', async (req, res) => {
    const id = roomId(req.params);
    const { userId } = parseControlInput(userIdSchema, req.body);
    res.json({ webhooks: await guard(() => emulator.exitRoom(id, userId)) });
  });
  router.put('/rooms/:roomId/topic', async (req, res) => {
    const id = roomId(req.params);
    const { userId, topic } = parseControlInput(topicSchema, req.body);
    res.json({ webhooks: await guard(() => emulator.setTopic(id, userId, topic)) });
  });
  router.post('/rooms/:roomId/notification-tokens', async (req, res) => {
    const id = roomId(req.params);
    res.status(201).json({ token: await guard(() => emulator.createRoomNotificationToken(id)) });
  });
  router.post('/rooms/:roomId/integrations', async (req, res) => {
    const id = roomId(req.params);
    const { name, slashCommand } = parseControlInput(integrationSchema, req.body);
    const integration = await guard(() => emulator.createBuildYourOwnIntegration(id, { ...(name !== undefined ? { name } : {}), ...(slashCommand ? { slashCommand } : {}) }));
    res.status(201).json(integration);
  });
  return router;
}
