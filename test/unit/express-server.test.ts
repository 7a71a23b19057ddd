import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { createExpressServer } from '../../src/http/express-server';

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function echoApp(): Express {
  const app = express();
  app.use(express.json());
  app.post('/echo/:name', (req, res) => {
    res.locals.seen = req.params.name;
    res.status(201).set('X-Seen', String(res.locals.seen)).json({ name: req.params.name, query: req.query.q, body: req.body as unknown });
  });
  app.get('/fail', () => {
    throw new Error('boom');
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: { code: 'internal', message: error.message } });
  });
  return app;
}

describe('createExpressServer', () => {
  it("makes requests and responses on the app's own prototypes before Express sees them (so its setPrototypeOf changes nothing)", async () => {
    const app = echoApp();
    const server = createExpressServer(app);
    const seen: Array<[boolean, boolean]> = [];
    server.prependListener('request', (req, res) => {
      seen.push([Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response]);
    });
    const url = await listen(server);
    try {
      await fetch(`${url}/echo/a`, { method: 'POST' });
      expect(seen).toEqual([[true, true]]);
    } finally {
      await close(server);
    }
  });

  it('serves the app exactly as http.createServer(app) would: params, query, JSON body, locals, headers, status and the error handler', async () => {
    const server = createExpressServer(echoApp());
    const url = await listen(server);
    try {
      const answer = await fetch(`${url}/echo/tasks?q=list`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"n":1}' });
      expect(answer.status).toBe(201);
      expect(answer.headers.get('x-seen')).toBe('tasks');
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await answer.json()).toEqual({ name: 'tasks', query: 'list', body: { n: 1 } });

      const failed = await fetch(`${url}/fail`);
      expect(failed.status).toBe(500);
      expect(await failed.json()).toEqual({ error: { code: 'internal', message: 'boom' } });
    } finally {
      await close(server);
    }
  });

  it("keeps two apps' prototypes apart (each server makes its own app's objects)", async () => {
    const first = express();
    const second = express();
    first.get('/', (req, res) => res.json({ app: req.app === first }));
    second.get('/', (req, res) => res.json({ app: req.app === second }));
    const servers = [createExpressServer(first), createExpressServer(second)];
    try {
      for (const server of servers) {
        const url = await listen(server);
        expect(await (await fetch(url)).json()).toEqual({ app: true });
      }
    } finally {
      await Promise.all(servers.map(close));
    }
  });
});
