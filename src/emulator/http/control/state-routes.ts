import { Router } from 'express';
import type { Emulator } from '../../emulator';
import { summariseInstallation } from './summarise-installation';

/** Read-only views: the whole state, request counters, and the page the browser install flow ends on. */
export function createStateRoutes(emulator: Emulator): Router {
  const router = Router();
  router.get('/browser/done', (_req, res) => {
    res.type('text/plain').send('Done. (This is where HipChat sent the browser back after an install.)');
  });
  router.get('/state', (_req, res) => {
    res.json({
      url: emulator.url,
      group: emulator.defaultGroup,
      rooms: emulator.rooms(),
      users: emulator.users(),
      installations: emulator.installations().map(summariseInstallation),
      limits: emulator.limits,
    });
  });
  router.get('/stats', (_req, res) => void res.json(emulator.stats()));
  return router;
}
