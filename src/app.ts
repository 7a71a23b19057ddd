import express, { type Express } from 'express';
import type { AssembledAddon } from './assemble-addon';
import { descriptorRoutes } from './hipchat/descriptor/descriptor-routes';
import { installRoutes } from './hipchat/install/install-routes';
import { glanceRoutes } from './hipchat/modules/glance-routes';
import { webhookListener } from './hipchat/modules/webhook-listener';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { inSequence } from './http/in-sequence';
import { parseBodies } from './http/parse-bodies';
import { deadLetterRoutes } from './hipchat/delivery/dead-letter-routes';
import { requireBearer } from './http/require-bearer';
import { opsRoutes } from './ops/ops-routes';
import { requestObserver } from './ops/request-observer';
import { publicRateLimit, securityHeaders } from './ops/security';
import { requestContext } from './shared/request-context';

export const JSON_BODY_LIMIT = '1mb';

/** Builds the Express app from the core's services and the modules' parts: mounts routers, holds no logic of its own. */
export function createApp(addon: AssembledAddon): Express {
  const { services, modules } = addon;
  const app = express();
  app.disable('x-powered-by');
  // Unset = no proxy trusted: X-Forwarded-For from a client must not choose its IP (and rate-limit bucket).
  app.set('trust proxy', services.config.trustProxy);
  // No ETag on API answers: nothing sends If-None-Match to them, and hashing each body costs every request.
  app.set('etag', false);
  // What every request passes, as one router layer.
  app.use(inSequence(requestContext, requestObserver(services.logger, services.metrics), securityHeaders()));
  const parseBody = parseBodies(JSON_BODY_LIMIT);
  // Webhooks, the busiest path, first: Express tries every layer in order until one answers. Their routes
  // parse their own bodies with the app's parsers; no path of theirs is public, an ops path or a raw route.
  app.use(
    webhookListener(
      { jwt: services.jwt, replay: services.replay, roomAdmins: services.roomAdmins, context: addon.context, logger: services.logger, parseBody },
      modules.commandRoutes,
      modules.events,
    ),
  );
  app.use(
    opsRoutes({
      db: services.db,
      metrics: services.metrics,
      metricsToken: services.config.metricsToken,
      production: services.config.nodeEnv === 'production',
      readinessChecks: services.readinessChecks,
      moduleMigrations: modules.migrations,
    }),
  );
  // Endpoints anyone can reach without a JWT get a per-IP limit (the gateway's hooks also have one per hook).
  app.use(['/installable', ...modules.publicPaths], publicRateLimit(services.config.publicRateLimit));
  // Routes that parse their own bodies (smaller limits) come before the app's parsers.
  for (const router of modules.rawRoutes) app.use(router);

  app.use(parseBody);

  // The other hot path (glances) next.
  app.use(glanceRoutes({ jwt: services.jwt, cors: addon.corsForHipChat, logger: services.logger }, modules.glances));
  for (const router of modules.routes) app.use(router);
  app.use(descriptorRoutes(addon.descriptor));
  app.use(installRoutes({ ...services, descriptor: addon.descriptor }));
  app.use(deadLetterRoutes(services.notifications, requireBearer(services.config.adminToken, 'ADMIN_TOKEN')));

  app.use(notFoundHandler);
  app.use(errorHandler(services.logger));
  return app;
}
