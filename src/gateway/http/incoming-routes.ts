import express, { Router } from 'express';
import type { Gateway } from '../gateway';

/** Incoming hooks and build-your-own commands accept at most this much JSON (more → 413). */
export const INCOMING_BODY_LIMIT = '64kb';

/**
 * POST /hooks/:hookId, GET /hooks/:hookId/deliveries/:id and POST /byo/:secret/command. Mounted before
 * the app's own body parsers so that the smaller limit applies. Bodies are read as JSON whatever their
 * Content-Type, so `curl -d '{"text":"hi"}' URL` works.
 */
export function incomingRoutes(gateway: Gateway): Router {
  const router = Router();
  const json = express.json({ limit: INCOMING_BODY_LIMIT, type: () => true });

  router.post('/hooks/:hookId', json, async (req, res) => {
    const { deliveryId } = await gateway.hooks.receive(req.params.hookId as string, req.body);
    res.status(202).json({ deliveryId });
  });

  router.get('/hooks/:hookId/deliveries/:deliveryId', async (req, res) => {
    const delivery = await gateway.hooks.delivery(req.params.hookId as string, req.params.deliveryId as string);
    res.json(delivery);
  });

  router.post('/byo/:secret/command', json, async (req, res) => {
    const answer = await gateway.runCommand(req.params.secret as string, req.body);
    if (answer) res.json(answer);
    else res.status(204).end();
  });

  return router;
}
