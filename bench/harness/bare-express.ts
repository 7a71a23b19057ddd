import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

export interface BareRoute {
  url: string;
  close(): Promise<void>;
}

/** A JSON value whose serialisation is exactly `bytes` long (at least 14). */
export function jsonOfSize(bytes: number): { padding: string } {
  return { padding: 'x'.repeat(Math.max(0, bytes - '{"padding":""}'.length)) };
}

/**
 * The ceiling the add-on is measured against: a separate Express 5 app in this same process on
 * loopback, with the same body parsers, answering a JSON body of the add-on's answer size.
 */
export async function startBareRoute(method: 'GET' | 'POST', path: string, answerBytes: number): Promise<BareRoute> {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  const body = jsonOfSize(answerBytes);
  const handler: express.RequestHandler = (_req, res) => {
    res.json(body);
  };
  if (method === 'GET') app.get(path, handler);
  else app.post(path, handler);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
