import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal HipChat for delivery tests, on loopback: the token endpoint, the REST endpoints the
 * outbox calls, fixed-window rate limits with HipChat's headers, and knobs for 401/429/5xx/outages.
 */
export interface Received {
  method: string;
  path: string;
  roomId: string;
  body: unknown;
  oauthId: string;
  at: number;
}

export interface Window {
  limit: number;
  windowMs: number;
}

/** Headers, or a function that builds them when the answer is sent (so reset times are relative to then). */
type ForcedHeaders = Record<string, string> | ((nowMs: number) => Record<string, string>);
type Forced = { status: number; message?: string; headers?: ForcedHeaders };

interface Issued {
  oauthId: string;
  expiresAtMs: number;
}

const ROUTES: Array<{ method: string; pattern: RegExp; status: number; message: boolean }> = [
  { method: 'POST', pattern: /^\/v2\/room\/([^/]+)\/notification$/, status: 204, message: true },
  { method: 'POST', pattern: /^\/v2\/room\/([^/]+)\/message$/, status: 201, message: true },
  { method: 'POST', pattern: /^\/v2\/addon\/ui\/room\/([^/]+)$/, status: 204, message: false },
  { method: 'PUT', pattern: /^\/v2\/room\/([^/]+)\/extension\/webhook\/[^/]+$/, status: 204, message: false },
  { method: 'DELETE', pattern: /^\/v2\/room\/([^/]+)\/extension\/webhook\/[^/]+$/, status: 204, message: false },
];

export class StandInHipChat {
  readonly received: Received[] = [];
  readonly tokenRequests: Array<{ oauthId: string; scope: string | null; at: number }> = [];
  /** Every API request that reached the server, whatever it was answered. */
  apiRequests = 0;
  tooManyRequests = 0;
  /** Seconds a token lives (fractional allowed). */
  tokenExpiresIn = 3600;
  /** Delay before the token endpoint answers, so concurrent requests would overlap. */
  tokenDelayMs = 0;
  /** Delay before an API request is answered (after it is recorded), for slow-HipChat cases. */
  apiDelayMs = 0;
  /**
   * > 0: a slow or hostile HipChat. Every API request (after it is counted) is answered with headers at
   * once and then a body of one byte every this many ms that never ends, until the client hangs up.
   */
  trickleApiMs = 0;
  /** API answers being trickled right now (the client has not hung up yet), and the most at once. */
  trickling = 0;
  mostTrickling = 0;
  apiLimit: Window | undefined;
  floodLimit: Window | undefined;
  /** Users (ids as strings) GET /v2/user/{id} reports as group admins; every other user is an ordinary member. */
  readonly groupAdmins = new Set<string>();
  /** Names GET /v2/user/{id} answers (default `User {id}`). */
  readonly userNames = new Map<string, string>();
  /** Room owners GET /v2/room/{id} reports, by room id. */
  readonly roomOwners = new Map<string, number>();
  /** GET /v2/user/{id} and GET /v2/room/{id} requests (the admin look-ups), in order. */
  readonly directoryRequests: string[] = [];

  private readonly clients = new Map<string, string>();
  private readonly tokens = new Map<string, Issued>();
  private readonly forced: Forced[] = [];
  private readonly counters = new Map<string, { windowStart: number; count: number }>();
  private server: http.Server | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get tokenUrl(): string {
    return `${this.url}/v2/oauth/token`;
  }
  get apiUrl(): string {
    return `${this.url}/v2/`;
  }

  addClient(oauthId: string, oauthSecret: string): void {
    this.clients.set(oauthId, oauthSecret);
  }

  /** The next `count` API requests get this answer (before any other check). */
  failNext(count: number, status: number, message = 'Forced failure', headers: ForcedHeaders = {}): void {
    for (let i = 0; i < count; i++) this.forced.push({ status, message, headers });
  }

  /** Makes every token issued so far invalid (HipChat answers 401 with them). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Goes down: further connections are refused until `start` again (same port). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  bodiesForRoom(roomId: number | string): unknown[] {
    return this.received.filter((r) => r.roomId === String(roomId)).map((r) => r.body);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'POST' && path === '/v2/oauth/token') return this.token(req, res, raw);

    this.apiRequests++;
    if (this.trickleApiMs > 0) return this.trickle(res);
    if (this.apiDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.apiDelayMs));
    if (req.method === 'GET' && /^\/v2\/(user|room)\/[^/]+$/.test(path)) return this.directory(req, res, path);
    const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(path));
    if (!route) return send(res, 404, {}, error(404, `No route ${req.method} ${path}`));
    const forced = this.forced.shift();
    if (forced) {
      const headers = typeof forced.headers === 'function' ? forced.headers(Date.now()) : forced.headers ?? {};
      return send(res, forced.status, headers, error(forced.status, forced.message ?? ''));
    }

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const issued = bearer ? this.tokens.get(bearer) : undefined;
    if (!bearer || !issued || issued.expiresAtMs <= Date.now()) {
      return send(res, 401, {}, error(401, 'Invalid OAuth session'));
    }
    const roomId = decodeURIComponent(route.pattern.exec(path)?.[1] ?? '');
    const headers: Record<string, string> = {};
    let over = false;
    if (this.apiLimit) over = this.hit(`token:${bearer}`, this.apiLimit, 'X-Ratelimit', headers) || over;
    if (this.floodLimit && route.message) over = this.hit(`room:${roomId}`, this.floodLimit, 'X-FloodControl', headers) || over;
    if (over) {
      this.tooManyRequests++;
      return send(res, 429, headers, error(429, 'You have exceeded the rate limit'));
    }
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      return send(res, 400, headers, error(400, 'Invalid JSON'));
    }
    this.received.push({ method: req.method ?? '', path, roomId, body, oauthId: issued.oauthId, at: Date.now() });
    return send(res, route.status, headers, route.status === 201 ? { id: crypto.randomUUID(), timestamp: new Date().toISOString() } : undefined);
  }

  /** The admin look-ups: a user's is_group_admin, a room's owner. Needs a valid token, like every API call. */
  private directory(req: http.IncomingMessage, res: http.ServerResponse, path: string): void {
    this.directoryRequests.push(path);
    const forced = this.forced.shift();
    if (forced) return send(res, forced.status, {}, error(forced.status, forced.message ?? ''));
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const issued = bearer ? this.tokens.get(bearer) : undefined;
    if (!issued || issued.expiresAtMs <= Date.now()) return send(res, 401, {}, error(401, 'Invalid OAuth session'));
    const [, kind, id = ''] = /^\/v2\/(user|room)\/([^/]+)$/.exec(path) ?? [];
    if (kind === 'user') {
      return send(res, 200, {}, { id: Number(id), name: this.userNames.get(id) ?? `User ${id}`, mention_name: `user${id}`, is_group_admin: this.groupAdmins.has(id), is_guest: false, is_deleted: false });
    }
    const owner = this.roomOwners.get(id);
    return send(res, 200, {}, { id: Number(id), name: `Room ${id}`, privacy: 'public', is_archived: false, owner: owner === undefined ? null : { id: owner, name: `User ${owner}`, mention_name: `user${owner}` } });
  }

  private trickle(res: http.ServerResponse): void {
    this.trickling++;
    this.mostTrickling = Math.max(this.mostTrickling, this.trickling);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
    res.write('{');
    const timer = setInterval(() => res.write(' '), this.trickleApiMs);
    res.on('close', () => {
      clearInterval(timer);
      this.trickling--;
    });
  }

  /** Windows aligned to multiples of their length since the epoch, as HipChat's Reset was a wall-clock instant. */
  private hit(key: string, window: Window, prefix: string, headers: Record<string, string>): boolean {
    const now = Date.now();
    const windowStart = Math.floor(now / window.windowMs) * window.windowMs;
    let counter = this.counters.get(key);
    if (!counter || counter.windowStart !== windowStart) {
      counter = { windowStart, count: 0 };
      this.counters.set(key, counter);
    }
    counter.count++;
    headers[`${prefix}-Limit`] = String(window.limit);
    headers[`${prefix}-Remaining`] = String(Math.max(0, window.limit - counter.count));
    headers[`${prefix}-Reset`] = String((windowStart + window.windowMs) / 1000);
    return counter.count > window.limit;
  }

  private async token(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [oauthId = '', secret = ''] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    const form = new URLSearchParams(raw);
    this.tokenRequests.push({ oauthId, scope: form.get('scope'), at: Date.now() });
    if (this.tokenDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.tokenDelayMs));
    if (form.get('grant_type') !== 'client_credentials' || this.clients.get(oauthId) !== secret || !secret) {
      return send(res, 401, {}, error(401, 'Invalid client credentials'));
    }
    const accessToken = crypto.randomBytes(20).toString('hex');
    this.tokens.set(accessToken, { oauthId, expiresAtMs: Date.now() + this.tokenExpiresIn * 1000 });
    send(res, 200, {}, {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: this.tokenExpiresIn,
      scope: form.get('scope') ?? '',
      group_id: 1,
      group_name: 'Stand-in',
    });
  }
}

function error(status: number, message: string) {
  return { error: { code: status, message, type: http.STATUS_CODES[status] ?? 'Error' } };
}

function send(res: http.ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...headers, ...(text ? { 'content-type': 'application/json' } : {}) });
  res.end(text);
}
