import { Router, type RequestHandler } from 'express';
import { requireJwt } from '../../hipchat/jwt/require-jwt';
import { sendJson } from '../../http/send-json';
import type { JwtVerifier } from '../../hipchat/jwt/jwt-verifier';
import { buildGlance } from '../glance/build-glance';
import type { TaskService } from '../tasks/task-service';
import { roomScope } from './room-scope';

/** GET /glance/tasks: the glance's current value, which HipChat's web client asks for cross-origin. */
export function glanceRoutes(deps: { jwt: JwtVerifier; tasks: TaskService; cors: RequestHandler }): Router {
  const router = Router();
  router.use('/glance/tasks', deps.cors);
  router.get('/glance/tasks', requireJwt(deps.jwt), async (req, res) => {
    const scope = roomScope(req, res);
    const [open, archived] = await Promise.all([deps.tasks.openCount(scope), deps.tasks.frozen.isFrozen(scope)]);
    res.setHeader('Cache-Control', 'no-store');
    sendJson(res, buildGlance(open, { archived }));
  });
  return router;
}
