import { Router } from 'express';
import { z } from 'zod';
import type { JwtVerifier } from '../../hipchat/jwt/jwt-verifier';
import { parseInput, storedIdSchema } from '../../shared/validate';
import { parseConnectRequest } from '../connections/parse-connect-request';
import type { Gateway } from '../gateway';
import { connectionView, hookView } from './gateway-views';
import { gatewayCaller, requireGatewayCaller } from './require-gateway-caller';

const newHookSchema = z.strictObject({
  roomId: storedIdSchema.optional(),
  connectionId: z.string().max(100).optional(),
  label: z.string().trim().min(1).max(100).optional(),
});

/** JSON API: POST/GET/DELETE /api/connections and /api/hooks (admin token or configuration-page JWT). */
export function gatewayApiRoutes(gateway: Gateway, jwt: JwtVerifier): Router {
  const router = Router();
  const auth = requireGatewayCaller(gateway.adminToken, jwt);

  router.post('/api/connections', auth, async (req, res) => {
    const input = parseConnectRequest(req.body);
    const { connection, commandUrl } = await gateway.connect(input, gatewayCaller(res));
    res.status(201).json({ connection: connectionView(connection), commandUrl });
  });

  router.get('/api/connections', auth, async (_req, res) => {
    const connections = await gateway.listConnections(gatewayCaller(res));
    res.json({ connections: connections.map(connectionView) });
  });

  router.delete('/api/connections/:id', auth, async (req, res) => {
    await gateway.disconnect(gatewayCaller(res), req.params.id as string);
    res.status(204).end();
  });

  router.post('/api/hooks', auth, async (req, res) => {
    const request = parseInput(newHookSchema, req.body ?? {});
    const { hook, url } = await gateway.hooks.create(gatewayCaller(res), request);
    res.status(201).json({ hook: hookView(hook), url });
  });

  router.get('/api/hooks', auth, async (_req, res) => {
    const hooks = await gateway.hooks.list(gatewayCaller(res));
    res.json({ hooks: hooks.map(hookView) });
  });

  router.delete('/api/hooks/:id', auth, async (req, res) => {
    await gateway.hooks.revoke(gatewayCaller(res), req.params.id as string);
    res.status(204).end();
  });

  return router;
}
