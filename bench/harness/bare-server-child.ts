import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type express from 'express';
import { createExpressServer } from '../../src/http/express-server';
import { jsonOfSize } from './bare-express';

/** What the parent sends: which Express to load (4 from the peer's folder, or the project's 5) and what to answer. */
export interface BareServerOptions {
  expressPath: string;
  routes: Array<{ method: 'GET' | 'POST'; path: string; answerBytes: number }>;
  /** Serve it as this add-on serves its app (createExpressServer) instead of http.createServer(app). */
  appPrototypes?: boolean;
}

/**
 * Bare routes in a process of its own, so that its CPU and RSS are read like the add-ons': the same
 * `express.json()` parser and a JSON answer of the add-on's size, as bench/harness/bare-express.ts.
 */
process.once('message', (options: BareServerOptions) => {
  const load = createRequire(__filename)(options.expressPath) as typeof express;
  const app = load();
  app.disable('x-powered-by');
  app.use(load.json({ limit: '1mb' }));
  for (const route of options.routes) {
    const body = jsonOfSize(route.answerBytes);
    const handler: express.RequestHandler = (_req, res) => {
      res.json(body);
    };
    if (route.method === 'GET') app.get(route.path, handler);
    else app.post(route.path, handler);
  }
  const server = options.appPrototypes ? createExpressServer(app) : http.createServer(app);
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.once('disconnect', () => process.exit(0));
});
