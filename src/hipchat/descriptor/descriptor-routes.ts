import { Router } from 'express';
import type { Descriptor } from './render-descriptor';
import { DESCRIPTOR_PATH } from './load-descriptor';

/** GET /atlassian-connect.json: the descriptor an admin pastes into HipChat. */
export function descriptorRoutes(descriptor: Descriptor): Router {
  const router = Router();
  const body = JSON.stringify(descriptor);
  router.get(DESCRIPTOR_PATH, (_req, res) => {
    res.type('application/json').set('cache-control', 'no-cache').send(body);
  });
  return router;
}
