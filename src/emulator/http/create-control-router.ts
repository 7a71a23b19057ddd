import express, { Router } from 'express';
import type { Emulator } from '../emulator';
import { createStateRoutes } from './control/state-routes';
import { createRoomsRoutes } from './control/rooms-routes';
import { createUsersRoutes } from './control/users-routes';
import { createInstallationsRoutes } from './control/installations-routes';
import { createLimitsRoutes } from './control/limits-routes';
import { createOutageRoutes } from './control/outage-routes';
import { createRoomEventsRoutes } from './control/room-events-routes';

/**
 * The JSON control API under /_emulator (documented in src/emulator/README.md), one router per
 * resource in ./control, each validating its input with zod. Loopback use only.
 */
export function createControlRouter(emulator: Emulator): Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  router.use(createStateRoutes(emulator));
  router.use(createRoomsRoutes(emulator));
  router.use(createUsersRoutes(emulator));
  router.use(createInstallationsRoutes(emulator));
  router.use(createLimitsRoutes(emulator));
  router.use(createOutageRoutes(emulator));
  router.use(createRoomEventsRoutes(emulator));
  return router;
}
