import { Router } from 'express';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { HipChatError } from '../hipchat-error';
import { integerSchema, nonEmptyStringSchema } from './control-schemas';
import { guard } from './guard';
import { parseControlInput } from './parse-control-input';
import { summariseInstallation } from './summarise-installation';

const installSchema = z.object({ descriptorUrl: nonEmptyStringSchema, roomId: integerSchema.optional() });
const jwtSchema = z.object({ userId: integerSchema, roomId: integerSchema.optional() });
const signedUrlSchema = z.object({
  kind: z.enum(['webPanel', 'dialog', 'configurable', 'adminPage', 'externalPage'], { error: 'must be webPanel, dialog, configurable, adminPage or externalPage' }),
  roomId: integerSchema,
  userId: integerSchema,
  key: z.string().optional(),
});
const glanceQuerySchema = z.object({ roomId: integerSchema, userId: integerSchema });
const glanceReadSchema = z.object({ roomId: integerSchema });

/** Installations: install, update, uninstall (real or forged), and what HipChat does for them (JWTs, signed URLs, glances). */
export function createInstallationsRoutes(emulator: Emulator): Router {
  const router = Router();
  router.get('/installations', (_req, res) => void res.json(emulator.installations().map(summariseInstallation)));
  router.post('/installations', async (req, res) => {
    const { descriptorUrl, roomId } = parseControlInput(installSchema, req.body);
    const installation = await guard(() => emulator.install(descriptorUrl, roomId !== undefined ? { roomId } : {}));
    res.status(201).json(summariseInstallation(installation));
  });
  router.post('/installations/:oauthId/update', async (req, res) => {
    res.json(summariseInstallation(await guard(() => emulator.update(req.params.oauthId))));
  });
  router.delete('/installations/:oauthId', async (req, res) => {
    res.json(await guard(() => emulator.uninstall(req.params.oauthId)));
  });
  router.post('/installations/:oauthId/forged-uninstall', async (req, res) => {
    res.json(await guard(() => emulator.sendForgedUninstall(req.params.oauthId)));
  });
  router.post('/installations/:oauthId/jwt', async (req, res) => {
    const { userId, roomId } = parseControlInput(jwtSchema, req.body);
    res.json({ jwt: await guard(() => emulator.mintJwt(req.params.oauthId, { userId, ...(roomId !== undefined ? { roomId } : {}) })) });
  });
  router.post('/installations/:oauthId/signed-url', async (req, res) => {
    const { kind, roomId, userId, key } = parseControlInput(signedUrlSchema, req.body);
    res.json({ url: await guard(() => emulator.signedUrl(req.params.oauthId, { kind, roomId, userId, ...(key !== undefined ? { key } : {}) })) });
  });
  router.post('/installations/:oauthId/glances/:key/query', async (req, res) => {
    const { roomId, userId } = parseControlInput(glanceQuerySchema, req.body);
    res.json(await guard(() => emulator.queryGlance(req.params.oauthId, roomId, userId, req.params.key)));
  });
  router.get('/installations/:oauthId/glances/:key', (req, res) => {
    const { roomId } = parseControlInput(glanceReadSchema, req.query, 'query');
    const glance = emulator.getGlance(req.params.oauthId, roomId, req.params.key);
    if (!glance) throw new HipChatError(404, 'No value for that glance yet');
    res.json(glance);
  });
  return router;
}
