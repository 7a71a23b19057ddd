import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { startEmulator, type Emulator, type Installation, type Room, type User } from '../../src/emulator';
import { callApi, requestToken, startFakeAddon, type FakeAddon } from './helpers/start-fake-addon';

describe('emulator glances, signed URLs, outages and control API', () => {
  let emulator: Emulator;
  let addon: FakeAddon;
  let room: Room;
  let user: User;
  let installation: Installation;

  beforeAll(async () => {
    emulator = await startEmulator();
    addon = await startFakeAddon();
    room = emulator.createRoom('Glances');
    user = emulator.createUser({ name: 'Grace', mention_name: 'grace' });
    installation = await emulator.install(addon.descriptorUrl);
  });
  afterAll(async () => {
    await emulator.close();
    await addon.close();
  });

  it('queries a glance with signed_request and an Origin header, validates and stores the answer', async () => {
    const glance = await emulator.queryGlance(installation.oauthId, room.id, user.id, 'tasks');
    expect(glance.content).toEqual(addon.glanceAnswer);
    const [request] = addon.received('/glance');
    expect(request?.headers.origin).toBe(emulator.url);
    const claims = jwt.verify(String(request?.query.signed_request), createSecretKey(Buffer.from(installation.oauthSecret)), { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ iss: installation.oauthId, sub: String(user.id), context: { room_id: room.id } });
    expect(emulator.getGlance(installation.oauthId, room.id, 'tasks')?.source).toBe('query');
  });

  it('refuses a malformed glance answer and a pushed update replaces the stored value', async () => {
    addon.glanceAnswer = { label: 'five' };
    await expect(emulator.queryGlance(installation.oauthId, room.id, user.id, 'tasks')).rejects.toThrow(/label/);
    const token = emulator.createAccessToken(installation.oauthId);
    const pushed = { label: { type: 'html', value: '<b>9</b>' } };
    expect((await callApi(`${emulator.url}/v2/addon/ui/room/${room.id}`, token, 'POST', { glance: [{ key: 'tasks', content: pushed }] })).status).toBe(204);
    expect(emulator.getGlance(installation.oauthId, room.id, 'tasks')).toMatchObject({ content: pushed, source: 'push' });
  });

  it('builds signed module URLs and mints JWTs that verify with the installation secret', () => {
    const url = new URL(emulator.signedUrl(installation.oauthId, { kind: 'webPanel', key: 'sidebar', roomId: room.id, userId: user.id }));
    expect(`${url.origin}${url.pathname}`).toBe(`${addon.url}/sidebar`);
    expect(url.searchParams.get('theme')).toBe('light');
    const key = createSecretKey(Buffer.from(installation.oauthSecret));
    expect(jwt.verify(url.searchParams.get('signed_request') ?? '', key, { algorithms: ['HS256'] })).toMatchObject({ iss: installation.oauthId });
    expect(emulator.signedUrl(installation.oauthId, { kind: 'configurable', roomId: room.id, userId: user.id })).toContain('/configure?signed_request=');
    expect(() => emulator.signedUrl(installation.oauthId, { kind: 'dialog', key: 'missing', roomId: room.id, userId: user.id })).toThrow();
    const minted = emulator.mintJwt(installation.oauthId, { userId: user.id, roomId: room.id, issuedAt: 1000, expiresInSeconds: 60 });
    expect(jwt.decode(minted)).toMatchObject({ iat: 1000, exp: 1060, sub: String(user.id) });
  });

  it('goOffline refuses connections and goOnline listens again on the same port', async () => {
    const port = emulator.port;
    await emulator.goOffline();
    await expect(fetch(emulator.capabilitiesUrl)).rejects.toThrow();
    await emulator.goOnline();
    expect(emulator.port).toBe(port);
    expect((await fetch(emulator.capabilitiesUrl)).status).toBe(200);
  });

  it('failure mode 503 answers every /v2 call with a HipChat 503 until cleared', async () => {
    emulator.setFailureMode('503');
    const down = await fetch(emulator.capabilitiesUrl);
    expect(down.status).toBe(503);
    expect((await down.json()).error).toMatchObject({ code: 503, type: 'Service Unavailable' });
    expect((await requestToken(`${emulator.url}/v2/oauth/token`, installation.oauthId, installation.oauthSecret)).status).toBe(503);
    emulator.setFailureMode(null);
    expect((await requestToken(`${emulator.url}/v2/oauth/token`, installation.oauthId, installation.oauthSecret)).status).toBe(200);
  });

  it('control API: post a message, read history, limits, stats, tokens, installations', async () => {
    const control = `${emulator.url}/_emulator`;
    const posted = await callApi(`${control}/rooms/${room.id}/messages`, undefined, 'POST', { userId: user.id, message: '/task add via control' });
    expect(posted.status).toBe(201);
    expect(posted.body.webhooks[0]).toMatchObject({ webhookKey: 'task-command', status: 200 });
    const history = await callApi(`${control}/rooms/${room.id}/history`, undefined, 'GET');
    expect(history.body.at(-1)).toMatchObject({ message: '/task add via control' });
    const limits = await callApi(`${control}/limits`, undefined, 'PUT', { floodControl: { limit: 5, windowMs: 2000 } });
    expect(limits.body.floodControl).toEqual({ limit: 5, windowMs: 2000 });
    expect((await callApi(`${control}/limits`, undefined, 'PUT', { rateLimit: { limit: -1, windowMs: 1 } })).status).toBe(400);
    const roomToken = await callApi(`${control}/rooms/${room.id}/notification-tokens`, undefined, 'POST', {});
    expect((await callApi(`${emulator.url}/v2/room/${room.id}/notification`, roomToken.body.token, 'POST', { message: 'hi' })).status).toBe(204);
    expect((await callApi(`${control}/stats`, undefined, 'GET')).body).toMatchObject({ apiRequests: expect.any(Number), rateLimited: expect.any(Number) });
    const installed = await callApi(`${control}/installations`, undefined, 'POST', { descriptorUrl: addon.descriptorUrl, roomId: room.id });
    expect(installed.status).toBe(201);
    expect(installed.body).not.toHaveProperty('oauthSecret');
    const refused = await callApi(`${control}/installations`, undefined, 'POST', { descriptorUrl: `${addon.url}/missing` });
    expect(refused.status).toBe(502);
    expect(refused.body.error.message).toMatch(/404/);
    const removed = await callApi(`${control}/installations/${installed.body.oauthId}`, undefined, 'DELETE');
    expect(removed.body).toMatchObject({ oauthId: installed.body.oauthId, addonStatus: 204 });
  });
});
