import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** A throwaway add-on on a free loopback port: serves a descriptor and records what HipChat sends. */
export interface FakeAddon {
  url: string;
  descriptorUrl: string;
  descriptor: Record<string, any>;
  requests: RecordedRequest[];
  installStatus: number;
  /** Runs inside the install callback before answering (e.g. request a token). */
  onInstall?: (body: Record<string, unknown>) => Promise<void>;
  /** Runs inside the uninstall DELETE before answering. */
  onUninstall?: (oauthId: string) => Promise<void>;
  webhookStatus: number;
  webhookReply?: unknown;
  glanceAnswer: unknown;
  received(path: string): RecordedRequest[];
  close(): Promise<void>;
}

export function buildDescriptor(base: string): Record<string, any> {
  return {
    key: 'com.example.fake',
    name: 'Fake Add-on',
    description: 'A test add-on',
    vendor: { name: 'Tests', url: base },
    links: { self: `${base}/descriptor`, homepage: base },
    capabilities: {
      installable: { allowGlobal: true, allowRoom: true, callbackUrl: `${base}/installable`, updateCallbackUrl: `${base}/installable/updated` },
      hipchatApiConsumer: { scopes: ['send_notification', 'view_room'], fromName: 'Fake' },
      webhook: [{ key: 'task-command', event: 'room_message', pattern: '^/task(\\s|$)', url: `${base}/webhooks/task`, authentication: 'jwt' }],
      glance: [
        { key: 'tasks', name: { value: 'Tasks' }, queryUrl: `${base}/glance`, target: 'sidebar', icon: { url: `${base}/i.png`, 'url@2x': `${base}/i2.png` } },
      ],
      webPanel: [{ key: 'sidebar', name: { value: 'Tasks' }, location: 'hipchat.sidebar.right', url: `${base}/sidebar` }],
      dialog: [{ key: 'create', title: { value: 'Create' }, url: `${base}/dialog` }],
      configurable: { url: `${base}/configure` },
    },
  };
}

export async function startFakeAddon(): Promise<FakeAddon> {
  const app = express();
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const addon: FakeAddon = {
    url,
    descriptorUrl: `${url}/descriptor`,
    descriptor: buildDescriptor(url),
    requests: [],
    installStatus: 200,
    webhookStatus: 200,
    glanceAnswer: { label: { type: 'html', value: '<b>3</b> tasks' }, status: { type: 'lozenge', value: { label: 'NEW', type: 'success' } } },
    received: (path) => addon.requests.filter((request) => request.path === path),
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  app.use(express.json());
  app.use((req, _res, next) => {
    addon.requests.push({ method: req.method, path: req.path, query: { ...req.query }, headers: req.headers, body: req.body });
    next();
  });
  app.get('/descriptor', (_req, res) => void res.json(addon.descriptor));
  app.post(['/installable', '/installable/updated'], async (req, res) => {
    if (addon.onInstall) await addon.onInstall(req.body as Record<string, unknown>);
    res.status(addon.installStatus).json(addon.installStatus === 200 ? {} : { error: 'refused by test' });
  });
  app.delete('/installable/:oauthId', async (req, res) => {
    if (addon.onUninstall) await addon.onUninstall(req.params.oauthId);
    res.status(204).end();
  });
  app.post('/webhooks/task', (_req, res) => {
    if (addon.webhookReply === undefined) res.status(addon.webhookStatus).end();
    else res.status(addon.webhookStatus).json(addon.webhookReply);
  });
  app.get('/glance', (_req, res) => void res.set('Access-Control-Allow-Origin', '*').json(addon.glanceAnswer));
  return addon;
}

/** POST a form to the token endpoint with Basic credentials. */
export async function requestToken(tokenUrl: string, oauthId: string, secret: string, scope?: string): Promise<{ status: number; body: any }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scope !== undefined) form.set('scope', scope);
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${oauthId}:${secret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  return { status: response.status, body: await response.json() };
}

export async function callApi(url: string, token: string | undefined, method: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}
