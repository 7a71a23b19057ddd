import request from 'supertest';
import type { Emulator } from '../../src/emulator';
import { eventually } from '../helpers/eventually';
import type { RunningAddon } from '../../src/runtime';
import { startTestKit, type TestKit } from '../../src/testing';
import { ADMIN_TOKEN, connectWithToken, countRows, createHook, ENCRYPTION_KEY, pathOf } from './gateway-fixtures';

let kit: TestKit;
let hipchat: Emulator;
let addon: RunningAddon;
let tokenRoom: number;
let connectionId: string;

beforeAll(async () => {
  kit = await startTestKit({ env: { ADMIN_TOKEN, ENCRYPTION_KEY, HOOK_RATE_LIMIT: '5/60' } });
  ({ emulator: hipchat, addon } = kit);
  tokenRoom = hipchat.createRoom('Deploys').id;
  const connected = await connectWithToken(addon, {
    token: hipchat.createRoomNotificationToken(tokenRoom),
    hipchatUrl: hipchat.url,
    room: tokenRoom,
  });
  connectionId = connected.connection.id;
});

afterAll(() => kit?.stop());

const messagesIn = (room: number) => hipchat.history(room).filter((item) => item.type === 'notification').map((item) => item.message);

describe('incoming hooks, end to end through the HipChat emulator', () => {
  it('queues {"text"} durably (202 + delivery id), delivers it into the room and reports the state', async () => {
    const { url, hook } = await createHook(addon, { connectionId, label: 'CI' });
    expect(hook.roomId).toBe(tokenRoom);
    expect(pathOf(url)).toMatch(/^\/hooks\/[A-Za-z0-9_-]{22,}$/);
    const res = await request(addon.url).post(pathOf(url)).send({ text: 'build #42 passed' });
    expect(res.status).toBe(202);
    expect(res.body.deliveryId).toMatch(/^[0-9a-f-]{36}$/);
    await eventually('the message in the room', () => messagesIn(tokenRoom).includes('build #42 passed'));
    await eventually('the delivery to report delivered', async () => {
      const state = await request(addon.url).get(`${pathOf(url)}/deliveries/${res.body.deliveryId}`);
      return state.status === 200 && state.body.state === 'delivered';
    });
    const item = hipchat.history(tokenRoom).find((entry) => entry.message === 'build #42 passed');
    expect(item).toMatchObject({ message_format: 'text' });
  });

  it("accepts HipChat's notification body, colour and card included", async () => {
    const { url } = await createHook(addon, { connectionId });
    const body = {
      message: '<b>deploy</b> finished',
      message_format: 'html',
      color: 'green',
      notify: true,
      card: { id: 'c1', style: 'application', title: 'Deploy', format: 'compact', description: { value: 'prod', format: 'text' } },
    };
    expect((await request(addon.url).post(pathOf(url)).send(body)).status).toBe(202);
    const item = await hipchat.waitForHistory(tokenRoom, (entry) => entry.message === '<b>deploy</b> finished');
    expect(item).toMatchObject({ color: 'green', notify: true, card: { title: 'Deploy' } });
  });

  it('hooks of an installed room are made from the configuration page (JWT) and post through the installation', async () => {
    const installedRoom = hipchat.createRoom('Installed').id;
    const installation = await hipchat.install(`${addon.url}/atlassian-connect.json`, { roomId: installedRoom });
    const user = hipchat.createUser({ name: 'Admin', is_group_admin: true });
    const jwt = hipchat.mintJwt(installation.oauthId, { userId: user.id, roomId: installedRoom });
    const { url, hook } = await createHook(addon, {}, { Authorization: `JWT ${jwt}` });
    expect(hook).toMatchObject({ roomId: installedRoom, kind: 'installation' });
    expect((await request(addon.url).post(pathOf(url)).send({ text: 'from the installation' })).status).toBe(202);
    await eventually('the message in the installed room', () => messagesIn(installedRoom).includes('from the installation'));
    const listed = await request(addon.url).get('/api/hooks').set({ Authorization: `JWT ${jwt}` });
    expect(listed.body.hooks.map((h: { id: string }) => h.id)).toEqual([hook.id]);
  });

  it('answers 400 naming the field, 404 for unknown hooks and deliveries, 413 over 64 KB', async () => {
    const { url } = await createHook(addon, { connectionId });
    const bad = await request(addon.url).post(pathOf(url)).send({ message: 'hi', color: 'blue' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^color: /);
    const empty = await request(addon.url).post(pathOf(url)).send({ text: '' });
    expect(empty.status).toBe(400);
    const garbage = await request(addon.url).post(pathOf(url)).set('content-type', 'application/json').send('{nope');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('invalid_json');

    const unknown = await request(addon.url).post('/hooks/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').send({ text: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('hook_not_found');
    const otherDelivery = await request(addon.url).get(`${pathOf(url)}/deliveries/00000000-0000-4000-8000-000000000000`);
    expect(otherDelivery.status).toBe(404);

    const huge = await request(addon.url).post(pathOf(url)).send({ text: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });

  it('a card with a field HipChat does not define (here nested 15,000 deep) is a 400 naming it, not a 500', async () => {
    const { url } = await createHook(addon, { connectionId });
    const depth = 15_000;
    const card = `{"style":"application","id":"1","title":"t","extra":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const res = await request(addon.url).post(pathOf(url)).set('content-type', 'application/json').send(`{"message":"x","card":${card}}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/extra/);
  });

  it('a delivery id of another hook is not found through this hook', async () => {
    const first = await createHook(addon, { connectionId });
    const second = await createHook(addon, { connectionId });
    const queued = await request(addon.url).post(pathOf(first.url)).send({ text: 'only mine' });
    expect(queued.status).toBe(202);
    expect((await request(addon.url).get(`${pathOf(second.url)}/deliveries/${queued.body.deliveryId}`)).status).toBe(404);
  });

  it('answers 429 with Retry-After when one hook is abused, without slowing another', async () => {
    const noisy = await createHook(addon, { connectionId });
    const quiet = await createHook(addon, { connectionId });
    for (let i = 0; i < 5; i++) expect((await request(addon.url).post(pathOf(noisy.url)).send({ text: `n${i}` })).status).toBe(202);
    const limited = await request(addon.url).post(pathOf(noisy.url)).send({ text: 'one too many' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.error.code).toBe('rate_limited');
    expect((await request(addon.url).post(pathOf(quiet.url)).send({ text: 'still fine' })).status).toBe(202);
  });

  it('a revoked hook answers 404 and queues nothing', async () => {
    const { url, hook } = await createHook(addon, { connectionId });
    expect((await request(addon.url).delete(`/api/hooks/${hook.id}`).set({ Authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(204);
    const before = await countRows(addon, 'outbox');
    const res = await request(addon.url).post(pathOf(url)).send({ text: 'after revocation' });
    expect(res.status).toBe(404);
    expect(await countRows(addon, 'outbox')).toBe(before);
    expect((await request(addon.url).delete(`/api/hooks/${hook.id}`).set({ Authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(404);
  });
});

describe('hook secrets, management and cascades', () => {
  it('stores only a hash of the hook id, so a database leak does not leak live hook URLs', async () => {
    const { url } = await createHook(addon, { connectionId });
    const hookId = pathOf(url).split('/').pop() as string;
    const { rows } = await addon.services.db.query('SELECT * FROM gateway_hooks');
    expect(JSON.stringify(rows)).not.toContain(hookId);
  });

  it("a revoked hook's deliveries are not found either", async () => {
    const { url, hook } = await createHook(addon, { connectionId });
    const queued = await request(addon.url).post(pathOf(url)).send({ text: 'before revocation' });
    expect(queued.status).toBe(202);
    expect((await request(addon.url).delete(`/api/hooks/${hook.id}`).set({ Authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(204);
    expect((await request(addon.url).get(`${pathOf(url)}/deliveries/${queued.body.deliveryId}`)).status).toBe(404);
    const listed = await request(addon.url).get('/api/hooks').set({ Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(listed.body.hooks.map((h: { id: string }) => h.id)).not.toContain(hook.id);
  });

  it('needs a connection with the admin token, and the admin token or a JWT at all', async () => {
    const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const noConnection = await request(addon.url).post('/api/hooks').set(admin).send({ roomId: tokenRoom });
    expect(noConnection.status).toBe(400);
    expect(noConnection.body.error.message).toMatch(/^connectionId/);
    const unknown = await request(addon.url).post('/api/hooks').set(admin).send({ connectionId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect((await request(addon.url).post('/api/hooks').send({ connectionId })).status).toBe(401);
  });

  it("disconnecting a room removes its hooks and its undelivered notifications", async () => {
    const room = hipchat.createRoom('Temporary').id;
    const connected = await connectWithToken(addon, { token: hipchat.createRoomNotificationToken(room), hipchatUrl: hipchat.url, room });
    const { url } = await createHook(addon, { connectionId: connected.connection.id });
    await hipchat.goOffline();
    try {
      expect((await request(addon.url).post(pathOf(url)).send({ text: 'never sent' })).status).toBe(202);
      const res = await request(addon.url).delete(`/api/connections/${connected.connection.id}`).set({ Authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(res.status).toBe(204);
    } finally {
      await hipchat.goOnline();
    }
    expect((await request(addon.url).post(pathOf(url)).send({ text: 'gone' })).status).toBe(404);
    const { rows } = await addon.services.db.query('SELECT 1 FROM outbox WHERE connection_id = $1', [connected.connection.id]);
    expect(rows).toEqual([]);
  });
});

describe('nothing is lost when HipChat is down or throttling', () => {
  it('keeps accepting during an outage and delivers everything, in order, once HipChat is back', async () => {
    const { url } = await createHook(addon, { connectionId });
    await hipchat.goOffline();
    try {
      for (let i = 1; i <= 4; i++) {
        const res = await request(addon.url).post(pathOf(url)).send({ text: `outage ${i}` });
        expect(res.status).toBe(202);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(messagesIn(tokenRoom).filter((m) => m.startsWith('outage'))).toEqual([]);
    } finally {
      await hipchat.goOnline();
    }
    await eventually('the four queued messages', () => messagesIn(tokenRoom).filter((m) => m.startsWith('outage')).length === 4, 20_000);
    expect(messagesIn(tokenRoom).filter((m) => m.startsWith('outage'))).toEqual(['outage 1', 'outage 2', 'outage 3', 'outage 4']);
  }, 30_000);

  it('waits out 429s from HipChat and loses nothing', async () => {
    const room = hipchat.createRoom('Busy').id;
    const connected = await connectWithToken(addon, { token: hipchat.createRoomNotificationToken(room), hipchatUrl: hipchat.url, room });
    const { url } = await createHook(addon, { connectionId: connected.connection.id });
    const windowMs = 3000;
    hipchat.setLimits({ floodControl: { limit: 5, windowMs } });
    try {
      // The emulator's windows are aligned to the clock: start at the top of one, so that someone
      // else can fill the room's allowance and the add-on's first attempt still lands in that window.
      await new Promise((resolve) => setTimeout(resolve, windowMs - (Date.now() % windowMs) + 20));
      const other = hipchat.createRoomNotificationToken(room);
      for (let i = 0; i < 5; i++) {
        await fetch(`${hipchat.url}/v2/room/${room}/notification?auth_token=${other}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: `filler ${i}` }),
        });
      }
      const before = hipchat.stats().rateLimited;
      for (let i = 1; i <= 5; i++) expect((await request(addon.url).post(pathOf(url)).send({ text: `busy ${i}` })).status).toBe(202);
      await eventually('the five messages', () => messagesIn(room).filter((m) => m.startsWith('busy')).length === 5, 20_000);
      expect(messagesIn(room).filter((m) => m.startsWith('busy'))).toEqual(['busy 1', 'busy 2', 'busy 3', 'busy 4', 'busy 5']);
      expect(hipchat.stats().rateLimited).toBeGreaterThan(before);
    } finally {
      hipchat.setLimits({ floodControl: { limit: 30, windowMs: 60_000 } });
    }
  }, 30_000);
});
