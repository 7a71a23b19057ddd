import express, { type Express } from 'express';
import { descriptorRoutes } from './hipchat/descriptor/descriptor-routes';
import { errorHandler, notFoundHandler } from './http/error-handler';
import type { Services } from './services';

export const JSON_BODY_LIMIT = '1mb';

/** Builds the Express app from its services: mounts routers, holds no logic of its own. */
export function createApp(services: Services): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: JSON_BODY_LIMIT }));

  app.use(descriptorRoutes(services.descriptor));

  app.use(notFoundHandler);
  app.use(errorHandler(services.logger));
  return app;
}
