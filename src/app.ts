import express, { type Express } from 'express';
import { tasksRoutes } from './addon/tasks-routes';
import { connectPageRoutes } from './gateway/http/connect-page-routes';
import { gatewayApiRoutes } from './gateway/http/gateway-api-routes';
import { incomingRoutes } from './gateway/http/incoming-routes';
import { descriptorRoutes } from './hipchat/descriptor/descriptor-routes';
import { installRoutes } from './hipchat/install/install-routes';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { deadLetterRoutes } from './hipchat/delivery/dead-letter-routes';
import { requireBearer } from './http/require-bearer';
import { opsRoutes } from './ops/ops-routes';
import { requestObserver } from './ops/request-observer';
import { publicRateLimit, securityHeaders } from './ops/security';
import { requestContext } from './shared/request-context';
import type { Services } from './services';

export const JSON_BODY_LIMIT = '1mb';

/** Builds the Express app from its services: mounts routers, holds no logic of its own. */
export function createApp(services: Services): Express {
  const app = express();
  app.disable('x-powered-by');
  // Unset = no proxy trusted: X-Forwarded-For from a client must not choose its IP (and rate-limit bucket).
  app.set('trust proxy', services.config.trustProxy);
  // No ETag on API answers: nothing sends If-None-Match to them, and hashing each body costs every request.
  app.set('etag', false);
  app.use(requestContext);
  app.use(requestObserver(services.logger, services.metrics));
  app.use(securityHeaders());
  app.use(
    opsRoutes({
      db: services.db,
      metrics: services.metrics,
      metricsToken: services.config.metricsToken,
      production: services.config.nodeEnv === 'production',
      readinessChecks: services.readinessChecks,
    }),
  );
  // Endpoints anyone can reach without a JWT get a per-IP limit (hooks also have one per hook).
  app.use(['/installable', '/connect', '/api/connections', '/hooks', '/byo'], publicRateLimit(services.config.publicRateLimit));
  // Hooks and BYO commands parse their own bodies with a 64 KB limit, so they come before the app's parsers.
  app.use(incomingRoutes(services.gateway));

  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: JSON_BODY_LIMIT }));

  // The add-on's hot paths (webhooks, glance) first: Express tries every route before a match in order.
  app.use(tasksRoutes(services));
  app.use(descriptorRoutes(services.descriptor));
  app.use(installRoutes(services));
  app.use(gatewayApiRoutes(services.gateway, services.jwt));
  app.use(deadLetterRoutes(services.notifications, requireBearer(services.config.adminToken, 'ADMIN_TOKEN')));
  app.use(connectPageRoutes({ adminEnabled: services.config.adminToken !== undefined }));

  app.use(notFoundHandler);
  app.use(errorHandler(services.logger));
  return app;
}
