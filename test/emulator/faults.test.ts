import http from 'node:http';
import type { Emulator } from '../../src/emulator';
import { FaultInputError } from '../../src/emulator';
import { EmulatedHipChat, type HipChatClient } from '../helpers/hipchat-emulator';

const basic = (client: HipChatClient) => `Basic ${Buffer.from(`${client.oauthId}:${client.oauthSecret}`).toString('base64')}`;

describe('emulator fault injection, answer overrides and request log', () => {
  let emulator: Emulator;
  let client: HipChatClient;
  let token: string;

  const askToken = (scope = 'send_notification') =>
    fetch(`${emulator.url}/v2/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
    });
  const notify = (roomId = 11, message = 'hello') =>
    fetch(`${emulator.url}/v2/room/${roomId}/notification`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message }),
    });
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.url}/_emulator${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    const hipchat = await EmulatedHipChat.start();
    emulator = hipchat.emulator;
    client = hipchat.addClient({ groupId: hipchat.groupId });
    hipchat.ensureRooms(11, 12);
    token = ((await (await askToken()).json()) as { access_token: string }).access_token;
  });
  afterAll(() => emulator.close());
  afterEach(() => {
    emulator.faults.clear();
    emulator.clearRequests();
  });

  it('a status fault answers the next `times` matching requests instead of the emulator, with its headers and a HipChat error body', async () => {
    const remove = emulator.faults.add({ target: 'api', times: 2, fault: { kind: 'status', status: 503, headers: { 'Retry-After': '1' } } });
    for (let i = 0; i < 2; i++) {
      const res = await notify();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await res.json()).toEqual({ error: { code: 503, message: 'Emulated failure', type: 'Service Unavailable' } });
    }
    expect((await notify()).status).toBe(204);
    expect(emulator.faults.list()).toEqual([]);
    remove(); // removing a spent rule is harmless
  });

  it('status faults take a body of their own, null for none, and headers built when the answer is sent', async () => {
    emulator.faults.add({ target: 'api', times: 1, fault: { kind: 'status', status: 429, body: { error: { message: 'slow down' } }, headers: (now) => ({ 'X-Ratelimit-Reset': String((now + 300) / 1000) }) } });
    const before = Date.now();
    const res = await notify();
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ error: { message: 'slow down' } });
    expect(Number(res.headers.get('x-ratelimit-reset')) * 1000).toBeGreaterThanOrEqual(before + 300);
    emulator.faults.add({ target: 'api', times: 1, fault: { kind: 'status', status: 500, body: null } });
    const empty = await notify();
    expect(empty.status).toBe(500);
    expect(await empty.text()).toBe('');
  });

  it('faults apply only to their target and match (method, exact path or RegExp); the remover takes a rule back', async () => {
    const remove = emulator.faults.add({ target: 'api', match: { method: 'POST', path: '/v2/room/12/notification' }, fault: { kind: 'status', status: 403 } });
    emulator.faults.add({ target: 'capabilities', match: { path: /nowhere/ }, fault: { kind: 'status', status: 500 } });
    expect((await notify(11)).status).toBe(204);
    expect((await notify(12)).status).toBe(403);
    expect((await fetch(emulator.capabilitiesUrl)).status).toBe(200);
    expect((await askToken()).status).toBe(200);
    remove();
    expect((await notify(12)).status).toBe(204);
  });

  it("'all' covers the capabilities document, the token endpoint, the REST API and installable documents, never the control API", async () => {
    emulator.faults.add({ target: 'all', fault: { kind: 'status', status: 502 } });
    expect((await fetch(emulator.capabilitiesUrl)).status).toBe(502);
    expect((await askToken()).status).toBe(502);
    expect((await notify()).status).toBe(502);
    expect((await fetch(`${emulator.url}/_installable/abc`)).status).toBe(502);
    expect((await control('GET', '/faults')).status).toBe(200);
  });

  it('drop destroys the connection without an answer (HipChat down), for the token endpoint only when targeted so', async () => {
    emulator.faults.add({ target: 'token', fault: { kind: 'drop' } });
    await expect(askToken()).rejects.toThrow();
    expect((await fetch(emulator.capabilitiesUrl)).status).toBe(200);
    expect(emulator.requests().find((r) => r.target === 'token')).toMatchObject({ status: 0, fault: 'drop', oauthId: client.oauthId });
  });

  it('delay holds the request, then the emulator answers it as usual; delays add up with a later status fault', async () => {
    emulator.faults.add({ target: 'capabilities', times: 1, fault: { kind: 'delay', ms: 150 } });
    let answered = false;
    const pending = fetch(emulator.capabilitiesUrl).then((res) => ((answered = true), res));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    expect(emulator.requests()).toHaveLength(1); // recorded on arrival, before the answer
    const res = await pending;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { links: { self: string } }).links.self).toBe(emulator.capabilitiesUrl);
    emulator.faults.add({ target: 'api', times: 1, fault: { kind: 'delay', ms: 10 } });
    emulator.faults.add({ target: 'api', times: 1, fault: { kind: 'status', status: 500 } });
    expect((await notify()).status).toBe(500);
    expect(emulator.faults.list()).toEqual([]);
  });

  it('trickle sends 200 headers at once and a body that never ends; it is counted while the client holds it', async () => {
    emulator.faults.add({ target: 'api', fault: { kind: 'trickle', intervalMs: 20 } });
    const url = new URL(`${emulator.url}/v2/room/11/notification`);
    const req = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve).end('{}'));
    expect(res.statusCode).toBe(200);
    const chunks: string[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(chunks.join('').startsWith('{ ')).toBe(true);
    expect(emulator.faults.openTrickles).toBe(1);
    expect(emulator.faults.mostOpenTrickles).toBeGreaterThanOrEqual(1);
    req.destroy();
    await waitUntil(() => emulator.faults.openTrickles === 0);
  });

  it('overrides the capabilities document (links.self, tokenUrl, apiUrl, homepage and subdomain) until clear()', async () => {
    emulator.faults.overrideCapabilities({ self: 'http://a/self', tokenUrl: 'http://a/token', apiUrl: 'http://a/v2', homepage: 'https://evil.example.com' });
    const doc = (await (await fetch(emulator.capabilitiesUrl)).json()) as Record<string, any>;
    expect(doc.links).toMatchObject({ self: 'http://a/self', homepage: 'https://evil.example.com', subdomain: 'https://evil.example.com', api: `${emulator.url}/v2` });
    expect(doc.capabilities.oauth2Provider).toMatchObject({ tokenUrl: 'http://a/token', authorizationUrl: `${emulator.url}/users/authorize` });
    expect(doc.capabilities.hipchatApiProvider.url).toBe('http://a/v2');
    expect(doc.capabilities.hipchatApiProvider.availableScopes).toHaveProperty('send_notification');
    emulator.faults.clear();
    expect(((await (await fetch(emulator.capabilitiesUrl)).json()) as Record<string, any>).links.self).toBe(emulator.capabilitiesUrl);
  });

  it('overrides the group_id of successful token answers, or leaves it out; refusals are untouched', async () => {
    emulator.faults.overrideTokenAnswer({ groupId: 4242 });
    expect(await (await askToken()).json()).toMatchObject({ group_id: 4242, access_token: expect.any(String) });
    emulator.faults.overrideTokenAnswer({ groupId: 'omit' });
    const omitted = (await (await askToken()).json()) as Record<string, unknown>;
    expect(omitted.access_token).toEqual(expect.any(String));
    expect(omitted).not.toHaveProperty('group_id');
    expect(omitted).not.toHaveProperty('group_name');
    const refused = await fetch(`${emulator.url}/v2/oauth/token`, { method: 'POST', headers: { authorization: 'Basic eDp5' }, body: 'grant_type=client_credentials' });
    expect(refused.status).toBe(401);
  });

  it('logs every /v2 request on arrival with its installation, room, body and status, never a secret', async () => {
    await askToken();
    await notify(12, 'logged');
    await fetch(`${emulator.url}/v2/room/12/notification`, { method: 'POST', headers: { authorization: 'Bearer nope' } });
    const log = emulator.requests();
    expect(log).toEqual([
      { method: 'POST', path: '/v2/oauth/token', target: 'token', oauthId: client.oauthId, body: { grant_type: 'client_credentials', scope: 'send_notification' }, status: 200, at: expect.any(Number) },
      { method: 'POST', path: '/v2/room/12/notification', target: 'api', roomId: 12, oauthId: client.oauthId, body: { message: 'logged' }, status: 204, at: expect.any(Number) },
      { method: 'POST', path: '/v2/room/12/notification', target: 'api', roomId: 12, body: undefined, status: 401, at: expect.any(Number) },
    ]);
    expect(JSON.stringify(log)).not.toContain(client.oauthSecret);
    expect(JSON.stringify(log)).not.toContain(token);
    emulator.clearRequests();
    expect(emulator.requests()).toEqual([]);
  });

  it('refuses rules and overrides that do not validate (in process: FaultInputError naming the field)', () => {
    expect(() => emulator.faults.add({ target: 'api', fault: { kind: 'status', status: 42 } })).toThrow(/fault\.status/);
    expect(() => emulator.faults.add({ target: 'nowhere' as 'api', fault: { kind: 'drop' } })).toThrow(FaultInputError);
    expect(() => emulator.faults.add({ target: 'api', times: 0, fault: { kind: 'drop' } })).toThrow(/times/);
    expect(() => emulator.faults.overrideTokenAnswer({ groupId: -1 })).toThrow(FaultInputError);
    expect(emulator.faults.list()).toEqual([]);
  });

  describe('control API', () => {
    it('adds, lists, removes and clears faults; overrides; reads and empties the request log', async () => {
      const added = await control('POST', '/faults', { target: 'api', times: 1, match: { path: '/v2/room/11/notification' }, fault: { kind: 'status', status: 429 } });
      expect(added.status).toBe(201);
      const { id } = (await added.json()) as { id: number };
      expect(((await (await control('GET', '/faults')).json()) as { faults: unknown[] }).faults).toEqual([
        expect.objectContaining({ id, target: 'api', remaining: 1, match: { path: '/v2/room/11/notification' } }),
      ]);
      expect((await control('DELETE', `/faults/${id}`)).status).toBe(204);
      expect((await control('DELETE', `/faults/${id}`)).status).toBe(404);
      await control('POST', '/faults', { target: 'api', fault: { kind: 'status', status: 503 } });
      expect((await notify()).status).toBe(503);
      expect((await control('DELETE', '/faults')).status).toBe(204);
      expect((await notify()).status).toBe(204);

      expect((await control('PUT', '/faults/capabilities', { self: 'http://x/self' })).status).toBe(200);
      expect(((await (await fetch(emulator.capabilitiesUrl)).json()) as { links: { self: string } }).links.self).toBe('http://x/self');
      expect((await control('PUT', '/faults/token-answer', { groupId: 'omit' })).status).toBe(200);
      expect(await (await askToken()).json()).not.toHaveProperty('group_id');

      const log = (await (await control('GET', '/requests')).json()) as { requests: Array<{ path: string }> };
      expect(log.requests.map((r) => r.path)).toContain('/v2/room/11/notification');
      expect((await control('DELETE', '/requests')).status).toBe(204);
      expect(emulator.requests()).toEqual([]);
    });

    it.each([
      ['an unknown kind', { target: 'api', fault: { kind: 'explode' } }],
      ['a status out of range', { target: 'api', fault: { kind: 'status', status: 1000 } }],
      ['a negative delay', { target: 'api', fault: { kind: 'delay', ms: -1 } }],
      ['an unknown field', { target: 'api', fault: { kind: 'drop' }, when: 'now' }],
      ['a relative path', { target: 'api', match: { path: 'v2/room' }, fault: { kind: 'drop' } }],
      ['no body', undefined],
    ])('answers 400 with a JSON error for %s', async (_what, body) => {
      const res = await control('POST', '/faults', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 400, message: expect.any(String), type: 'Bad Request' } });
      expect(emulator.faults.list()).toEqual([]);
    });

    it('answers 400 for overrides that do not validate', async () => {
      for (const [path, body] of [['/faults/capabilities', { self: 42 }], ['/faults/token-answer', { groupId: 'none' }]] as const) {
        const res = await control('PUT', path, body);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^(self|groupId):/);
      }
    });
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
