import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeClient {
  oauthId: string;
  oauthSecret: string;
  groupId: number;
}

/** Ways to make the fake misbehave; each test sets what it needs and calls reset() afterwards. */
export interface FakeHipChatKnobs {
  /** links.self in the capabilities document (default: the URL it is served from). */
  selfUrl?: string;
  /** capabilities.oauth2Provider.tokenUrl (default: the fake's own token endpoint). */
  tokenUrl?: string;
  /** capabilities.hipchatApiProvider.url (default: `${url}/v2/`). */
  apiUrl?: string;
  /** links.subdomain / links.homepage (default: the fake's origin). */
  homepage?: string;
  /** Token endpoint answers 401 to every client. */
  refuseCredentials: boolean;
  /** Every request has its connection destroyed without an answer, as if HipChat were down. */
  unreachable: boolean;
  /** Only the token endpoint's connections are destroyed without an answer. */
  tokenUnreachable?: boolean;
  /** group_id the token endpoint reports (default: the client's group). */
  tokenGroupId?: number;
  /** The token endpoint leaves group_id out of its answers (as HipChat Server may). */
  omitTokenGroupId?: boolean;
  /** The token endpoint gives this answer to every request (throttling, outages, OAuth errors). */
  tokenAnswer?: { status: number; body: unknown };
  /** The token endpoint waits this long before answering (a probe stays in flight meanwhile). */
  tokenDelayMs?: number;
  /** This endpoint answers at once but sends its body one byte every 100 ms (a slow or hostile HipChat). */
  trickle?: 'capabilities' | 'token' | 'installable';
}

/**
 * A minimal HipChat on loopback for the installation tests: a capabilities document, a token endpoint
 * (client_credentials with HTTP Basic), one-time installable_url documents for the browser flow, and
 * knobs to misbehave. It records what was asked of it so tests can prove nothing reached it.
 */
export class FakeHipChat {
  readonly clients = new Map<string, FakeClient>();
  readonly revoked = new Set<string>();
  /** Every token request, with the Basic credentials presented. */
  readonly tokenRequests: Array<{ oauthId: string; oauthSecret: string; scope: string | undefined }> = [];
  readonly capabilitiesFetches: string[] = [];
  knobs: FakeHipChatKnobs = { refuseCredentials: false, unreachable: false };
  private readonly installables = new Map<string, unknown>();
  private nextGroupId = 1000;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  /** `hostname`: the name the fake's URLs use for 127.0.0.1 (e.g. `localhost`, to be "another host"). */
  static async start(options: { hostname?: string } = {}): Promise<FakeHipChat> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeHipChat(server, `http://${options.hostname ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => fake.handle(req, res));
    return fake;
  }

  get capabilitiesUrl(): string {
    return `${this.url}/v2/capabilities`;
  }

  get tokenUrl(): string {
    return `${this.url}/v2/oauth/token`;
  }

  /** A new OAuth client, as HipChat creates one per installation. */
  addClient(groupId = this.nextGroupId++): FakeClient {
    const client = { oauthId: crypto.randomUUID(), oauthSecret: crypto.randomBytes(20).toString('hex'), groupId };
    this.clients.set(client.oauthId, client);
    return client;
  }

  /** Re-install: HipChat issues a new secret for the same oauthId; the old one stops working. */
  rotateSecret(oauthId: string): FakeClient {
    const client = this.clients.get(oauthId);
    if (!client) throw new Error(`no client ${oauthId}`);
    client.oauthSecret = crypto.randomBytes(20).toString('hex');
    return { ...client };
  }

  /** Uninstall as HipChat did it: the client is removed, so its token requests are refused. */
  revoke(oauthId: string): void {
    this.revoked.add(oauthId);
  }

  /** The body HipChat POSTs to callbackUrl. */
  installBody(client: FakeClient, roomId?: number): Record<string, unknown> {
    return {
      oauthId: client.oauthId,
      oauthSecret: client.oauthSecret,
      capabilitiesUrl: this.capabilitiesUrl,
      groupId: client.groupId,
      ...(roomId !== undefined ? { roomId } : {}),
    };
  }

  /** Publishes a one-time installable_url document for the browser flow. */
  publishInstallable(document: unknown): string {
    const id = crypto.randomBytes(12).toString('hex');
    this.installables.set(id, document);
    return `${this.url}/installable/${id}`;
  }

  wasFetched(installableUrl: string): boolean {
    return !this.installables.has(installableUrl.split('/').pop() ?? '');
  }

  tokenRequestsFor(oauthId: string): number {
    return this.tokenRequests.filter((r) => r.oauthId === oauthId).length;
  }

  reset(): void {
    this.knobs = { refuseCredentials: false, unreachable: false };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.knobs.unreachable) {
      req.socket.destroy();
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/v2/capabilities') {
      return this.knobs.trickle === 'capabilities' ? trickle(res) : this.capabilities(res);
    }
    if (req.method === 'POST' && path === '/v2/oauth/token') {
      if (this.knobs.tokenUnreachable) return void req.socket.destroy();
      return this.knobs.trickle === 'token' ? trickle(res) : this.token(req, res);
    }
    const installable = /^\/installable\/([0-9a-f]+)$/.exec(path);
    if (req.method === 'GET' && installable?.[1] && this.knobs.trickle === 'installable') return trickle(res);
    if (req.method === 'GET' && installable?.[1]) {
      const document = this.installables.get(installable[1]);
      this.installables.delete(installable[1]);
      return document === undefined ? json(res, 404, { error: { code: 404, message: 'gone' } }) : json(res, 200, document);
    }
    json(res, 404, { error: { code: 404, message: 'Not found', type: 'Not Found' } });
  }

  private capabilities(res: http.ServerResponse): void {
    this.capabilitiesFetches.push(this.capabilitiesUrl);
    const homepage = this.knobs.homepage ?? this.url;
    json(res, 200, {
      name: 'HipChat',
      key: 'hipchat',
      links: { self: this.knobs.selfUrl ?? this.capabilitiesUrl, api: `${this.url}/v2`, homepage, subdomain: homepage },
      capabilities: {
        oauth2Provider: { authorizationUrl: `${this.url}/users/authorize`, tokenUrl: this.knobs.tokenUrl ?? this.tokenUrl },
        hipchatApiProvider: { url: this.knobs.apiUrl ?? `${this.url}/v2/`, availableScopes: {} },
      },
    });
  }

  private token(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
      const [oauthId = '', oauthSecret = ''] = Buffer.from(encoded ?? '', 'base64').toString().split(':');
      const form = new URLSearchParams(body);
      const scope = form.get('scope') ?? undefined;
      // Counted on arrival, so a request still being answered is already seen by the tests.
      this.tokenRequests.push({ oauthId, oauthSecret, scope });
      const answer = () => this.answerToken(res, { scheme, oauthId, oauthSecret, scope, grantType: form.get('grant_type') });
      if (this.knobs.tokenDelayMs) setTimeout(answer, this.knobs.tokenDelayMs);
      else answer();
    });
  }

  private answerToken(
    res: http.ServerResponse,
    asked: { scheme?: string; oauthId: string; oauthSecret: string; scope?: string; grantType: string | null },
  ): void {
    if (this.knobs.tokenAnswer) return json(res, this.knobs.tokenAnswer.status, this.knobs.tokenAnswer.body);
    const client = this.clients.get(asked.oauthId);
    const valid =
      asked.scheme === 'Basic' && client !== undefined && client.oauthSecret === asked.oauthSecret && !this.revoked.has(asked.oauthId);
    if (this.knobs.refuseCredentials || !valid || asked.grantType !== 'client_credentials') {
      return json(res, 401, { error: { code: 401, message: 'Invalid OAuth client credentials', type: 'Unauthorized' } });
    }
    json(res, 200, {
      access_token: crypto.randomBytes(16).toString('hex'),
      token_type: 'bearer',
      scope: asked.scope ?? 'send_notification view_room',
      expires_in: 3599,
      ...(this.knobs.omitTokenGroupId ? {} : { group_id: this.knobs.tokenGroupId ?? client.groupId, group_name: 'Fake group' }),
    });
  }
}

/** 200 with headers at once, then a body that never ends: one byte every 100 ms until the client hangs up. */
function trickle(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
  res.write('{');
  const timer = setInterval(() => res.write(' '), 100);
  res.on('close', () => clearInterval(timer));
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
