import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { RoomEventError } from '../../driver/room-events';
import { emulatorExtras } from '../../model/emulator-extras';
import { HipChatError } from '../hipchat-error';

const id = z.coerce.number().int().positive();
const actor = z.object({ userId: id.optional() }).strict();
const roomInput = z
  .object({ name: z.string().trim().min(1).max(50), topic: z.string().max(250).optional(), privacy: z.enum(['public', 'private']).optional(), userId: id.optional() })
  .strict();
const fileInput = z
  .object({
    userId: id,
    name: z.string().trim().min(1).max(255),
    contentBase64: z.string().max(900_000).optional(),
    contentType: z.string().max(100).optional(),
    size: z.number().int().min(0).optional(),
    message: z.string().min(1).max(1000).optional(),
  })
  .strict();
// The notification body itself is checked by the same validator as POST /v2/room/{id}/notification.
const notificationInput = z.record(z.string(), z.unknown());

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new HipChatError(400, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

function roomId(req: Request): number {
  return parse(id, req.params.roomId);
}

const STATUS = { archived: 403, conflict: 409, not_found: 404 } as const;

/** Driver errors become 4xx answers: archived 403, already so 409, unknown room or user 404, else 400. */
async function run<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HipChatError) throw error;
    if (error instanceof RoomEventError) throw new HipChatError(STATUS[error.reason], error.message);
    throw new HipChatError(400, error instanceof Error ? error.message : String(error));
  }
}

/**
 * Control routes that cause HipChat's room events (documented in src/emulator/README.md): create, delete,
 * archive and unarchive a room, upload a file, post a notification (room_notification), and read a
 * user's private chat. Each answers with the webhooks it fired.
 */
export function createRoomEventsRoutes(emulator: Emulator): Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.post('/room-events/created', async (req, res) => {
    const { userId, ...input } = parse(roomInput, req.body);
    res.status(201).json(await run(() => emulator.createRoomWithEvent(input, userId)));
  });
  router.delete('/rooms/:roomId', async (req, res) => {
    const { userId } = parse(actor, req.body);
    res.json(await run(() => emulator.deleteRoom(roomId(req), userId)));
  });
  router.post('/rooms/:roomId/archive', async (req, res) => {
    const { userId } = parse(actor, req.body);
    res.json({ webhooks: await run(() => emulator.archiveRoom(roomId(req), userId)) });
  });
  router.post('/rooms/:roomId/unarchive', async (req, res) => {
    const { userId } = parse(actor, req.body);
    res.json({ webhooks: await run(() => emulator.unarchiveRoom(roomId(req), userId)) });
  });
  router.post('/rooms/:roomId/files', async (req, res) => {
    const { userId, contentBase64, ...upload } = parse(fileInput, req.body);
    const content = contentBase64 === undefined ? undefined : Buffer.from(contentBase64, 'base64');
    res.status(201).json(await run(() => emulator.uploadFile(roomId(req), userId, { ...upload, ...(content ? { content } : {}) })));
  });
  router.post('/rooms/:roomId/notifications', async (req, res) => {
    const body = parse(notificationInput, req.body);
    res.status(201).json(await run(() => emulator.sendNotification(roomId(req), body)));
  });
  router.get('/users/:userId/private-chat', (req, res) => {
    res.json(emulator.privateChat(parse(id, req.params.userId)));
  });
  // Uploaded files: always a download, sandboxed, so an uploaded page cannot run on the emulator's origin.
  router.get('/files/:fileId/:name', (req, res) => {
    const file = emulatorExtras(emulator.state).getFile(req.params.fileId);
    if (!file) throw new HipChatError(404, 'No such file');
    res.attachment(file.name);
    res.set({ 'Content-Type': file.contentType, 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': 'sandbox', 'Cache-Control': 'no-store' });
    res.send(file.content);
  });
  return router;
}
