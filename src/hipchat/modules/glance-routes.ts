import { Router, type RequestHandler } from 'express';
import { sendJson } from '../../http/send-json';
import { badRequest } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { parseInput } from '../../shared/validate';
import { glanceContentSchema } from '../api/hipchat-messages';
import type { JwtVerifier } from '../jwt/jwt-verifier';
import { hipchatContext, requireJwt } from '../jwt/require-jwt';
import type { GlanceRoute } from './assemble-modules';

/**
 * GET queryUrl for each module's glance provider: HipChat's web client asks cross-origin with a JWT
 * (signed_request); the room and user come only from it. The content is checked as HipChat would.
 */
export function glanceRoutes(deps: { jwt: JwtVerifier; cors: RequestHandler; logger: Logger }, glances: GlanceRoute[]): Router {
  const router = Router();
  for (const glance of glances) {
    // Made once: the bindings are constant and pino's child() serialises them (the mixin adds the request id).
    const logger = deps.logger.child({ module: glance.module, glance: glance.key });
    router.use(glance.path, deps.cors);
    router.get(glance.path, requireJwt(deps.jwt), async (_req, res) => {
      const jwt = hipchatContext(res);
      if (jwt.roomId === null || jwt.roomId <= 0) throw badRequest('The JWT names no room (context.room_id)', 'room_required');
      const content = await glance.provider({
        module: glance.module,
        logger,
        installation: jwt.installation,
        room: { id: jwt.roomId },
        user: jwt.userId === null ? undefined : { id: jwt.userId },
        jwt,
      });
      res.setHeader('Cache-Control', 'no-store');
      sendJson(res, parseInput(glanceContentSchema, content, 'glance'));
    });
  }
  return router;
}
