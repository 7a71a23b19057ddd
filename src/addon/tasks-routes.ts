import path from 'node:path';
import express, { Router } from 'express';
import type { ModuleServices } from '../hipchat/modules/module-services';
import { apiRoutes } from './routes/api-routes';
import { glanceRoutes } from './routes/glance-routes';
import { pageRoutes } from './routes/page-routes';
import type { TaskService } from './tasks/task-service';

/** Icons, styles and page scripts; scripts/copy-assets.js copies them beside the compiled code. */
export const TASKS_STATIC_DIR = path.join(__dirname, 'static');

/** Tasks' HTTP side: static files, the glance, the JSON API and the pages, each behind requireJwt. */
export function tasksRoutes(core: Pick<ModuleServices, 'jwt' | 'replay' | 'roomAdmins' | 'allowedHosts' | 'corsForHipChat'>, tasks: TaskService): Router {
  const cors = core.corsForHipChat;
  const router = Router();
  router.use('/static', express.static(TASKS_STATIC_DIR, { index: false, maxAge: '1h', fallthrough: true }));
  router.use(glanceRoutes({ jwt: core.jwt, tasks, cors }));
  router.use(apiRoutes({ jwt: core.jwt, tasks, replay: core.replay, cors, roomAdmins: core.roomAdmins }));
  router.use(pageRoutes({ jwt: core.jwt, tasks, allowedHosts: core.allowedHosts, roomAdmins: core.roomAdmins }));
  return router;
}
