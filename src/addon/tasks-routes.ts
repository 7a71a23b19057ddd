import path from 'node:path';
import express, { Router } from 'express';
import { corsForOrigins } from '../http/cors-for-origins';
import type { Services } from '../services';
import { tasksCommandHandler } from './commands/tasks-command-handler';
import { isAllowedCorsOrigin } from './pages/page-security';
import { apiRoutes } from './routes/api-routes';
import { glanceRoutes } from './routes/glance-routes';
import { pageRoutes } from './routes/page-routes';
import { webhookRoutes } from './routes/webhook-routes';
import { TaskService } from './tasks/task-service';

/** Icons, styles and page scripts; scripts/copy-assets.js copies them beside the compiled code. */
export const TASKS_STATIC_DIR = path.join(__dirname, 'static');

/**
 * The reference add-on "Tasks", built only on the server's public pieces: the descriptor declares its
 * modules; requireJwt authenticates every call; the notification service carries replies and glance
 * updates to HipChat; rooms connected by a notification token run /task through the gateway's
 * build-your-own command. Mount with `app.use(tasksRoutes(services))`.
 */
export function tasksRoutes(services: Pick<Services, 'db' | 'jwt' | 'replay' | 'notifications' | 'config' | 'background' | 'gateway' | 'roomAdmins'>): Router {
  const tasks = new TaskService(services.db, services.notifications);
  // Started with the other background tasks once the app is built (runtime.ts).
  services.background.push(tasks.cacheTask);
  services.gateway.setCommandHandler(tasksCommandHandler(tasks));
  const allowedHosts = services.config.allowedHosts;
  // HipChat's web client reads the glance and API cross-origin; only its own origins get an answer.
  const corsForHipChat = corsForOrigins({
    isAllowed: (origin) => isAllowedCorsOrigin(origin, allowedHosts),
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAgeSeconds: 600,
  });

  const router = Router();
  router.use('/static', express.static(TASKS_STATIC_DIR, { index: false, maxAge: '1h', fallthrough: true }));
  router.use(webhookRoutes({ jwt: services.jwt, tasks, replay: services.replay, roomAdmins: services.roomAdmins }));
  router.use(glanceRoutes({ jwt: services.jwt, tasks, cors: corsForHipChat }));
  router.use(apiRoutes({ jwt: services.jwt, tasks, replay: services.replay, cors: corsForHipChat, roomAdmins: services.roomAdmins }));
  router.use(pageRoutes({ jwt: services.jwt, tasks, allowedHosts, roomAdmins: services.roomAdmins }));
  return router;
}
