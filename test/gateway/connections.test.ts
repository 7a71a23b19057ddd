import request from 'supertest';
import type { Emulator } from '../../src/emulator';
import { freePort } from '../../src/testing/free-port';
import type { RunningAddon } from '../../src/runtime';
import { startTestKit, type TestKit } from '../../src/testing';
import { admin, ADMIN_TOKEN, connectWithToken, countRows, ENCRYPTION_KEY } from './gateway-fixtures';

let kit: TestKit;
let hipchat: Emulator;
let addon: RunningAddon;
let roomId: number;

beforeAll(async () => {
  kit = await startTestKit({ env: { ADMIN_TOKEN, ENCRYPTION_KEY } });
  ({ emulator: hipchat, addon } = kit);
  roomId = hipchat.createRoom('Ops').id;
});

afterAll(() => kit?.stop());

beforeEach(async () => {
  await addon.services.db.query('DELETE FROM gateway_connections');
});

const notifications = (room: number) => hipchat.history(room).filter((item) => item.type === 'notification');

describe('connecting a room with a room notification token', () => {
  it('proves the token with a notification, stores the connection and answers a command URL once', async () => {
    const token = hipchat.createRoomNotificationToken(roomId);
    const before = notifications(roomId).length;
    const res = await request(addon.url).post('/api/connections').set(admin).send({ token, hipchatUrl: hipchat.url, room: roomId });
    expect(res.status).toBe(201);
    expect(res.body.connection).toMatchObject({ roomId, hipchatUrl: `${hipchat.url}/v2/`, roomName: null });
    expect(res.body.commandUrl).toMatch(new RegExp(`^${addon.url}/byo/[A-Za-z0-9_-]{32}/command$`));
    expect(JSON.stringify(res.body)).not.toContain(token);
    expect(notifications(roomId).length).toBe(before + 1);
    expect(notifications(roomId).at(-1)?.message).toMatch(/^Connected to Tasks/);

    const list = await request(addon.url).get('/api/connections').set(admin);
    expect(list.status).toBe(200);
    expect(list.body.connections.map((c: { id: string }) => c.id)).toEqual([res.body.connection.id]);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(JSON.stringify(list.body)).not.toContain('command');
  });

  it('keeps the token sealed at rest: no plaintext in the database', async () => {
    const token = hipchat.createRoomNotificationToken(roomId);
    const { connection } = await connectWithToken(addon, { token, hipchatUrl: hipchat.url, room: roomId });
    const { rows } = await addon.services.db.query<Record<string, unknown>>('SELECT * FROM gateway_connections WHERE id = $1', [
      connection.id,
    ]);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(token);
    expect(rows[0]?.room_token).toMatch(/^v1:/);
    expect(addon.services.secrets.open(rows[0]?.room_token as string)).toBe(token);
  });

  it("connects by a build-your-own integration's notification URL", async () => {
    const integration = hipchat.createBuildYourOwnIntegration(roomId, { name: 'CI' });
    const res = await request(addon.url).post('/api/connections').set(admin).send({ notificationUrl: integration.notificationUrl });
    expect(res.status).toBe(201);
    expect(res.body.connection.roomId).toBe(roomId);
    expect(await countRows(addon, 'gateway_connections')).toBe(1);
  });

  it('refuses a token HipChat refuses (401) and stores nothing', async () => {
    const res = await request(addon.url)
      .post('/api/connections')
      .set(admin)
      .send({ token: 'not-a-real-token-123', hipchatUrl: hipchat.url, room: roomId });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('token_refused');
    expect(res.body.error.message).toMatch(/nothing was stored/);
    expect(await countRows(addon, 'gateway_connections')).toBe(0);
  });

  it("refuses a token for another room (HipChat's 403) and stores nothing", async () => {
    const other = hipchat.createRoom('Elsewhere').id;
    const token = hipchat.createRoomNotificationToken(other);
    const res = await request(addon.url).post('/api/connections').set(admin).send({ token, hipchatUrl: hipchat.url, room: roomId });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('room_refused');
    expect(await countRows(addon, 'gateway_connections')).toBe(0);
  });

  it('refuses a host outside HIPCHAT_ALLOWED_HOSTS without calling it', async () => {
    const res = await request(addon.url)
      .post('/api/connections')
      .set(admin)
      .send({ notificationUrl: 'https://hipchat.evil.example/v2/room/1/notification?auth_token=abcdefgh12' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('untrusted_host');
    expect(await countRows(addon, 'gateway_connections')).toBe(0);
  });

  it('answers 502 when HipChat cannot be reached, and stores nothing', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const res = await request(addon.url).post('/api/connections').set(admin).send({ token: 'abcdefgh12', hipchatUrl: closed, room: 5 });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('hipchat_unreachable');
    expect(await countRows(addon, 'gateway_connections')).toBe(0);
  });

  it('asks for the room id when the token may not look the room up by name', async () => {
    const token = hipchat.createRoomNotificationToken(roomId);
    const res = await request(addon.url).post('/api/connections').set(admin).send({ token, hipchatUrl: hipchat.url, room: 'Ops' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('room_not_resolved');
    expect(res.body.error.message).toMatch(/^room: .*enter the room id/);
  });

  it('refuses connecting the same token to the same room twice (409)', async () => {
    const token = hipchat.createRoomNotificationToken(roomId);
    await connectWithToken(addon, { token, hipchatUrl: hipchat.url, room: roomId });
    const again = await request(addon.url).post('/api/connections').set(admin).send({ token, hipchatUrl: hipchat.url, room: roomId });
    expect(again.status).toBe(409);
    expect(await countRows(addon, 'gateway_connections')).toBe(1);
  });

  it('names the field of a malformed request (400)', async () => {
    const res = await request(addon.url).post('/api/connections').set(admin).send({ token: 'abcdefgh12', room: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^hipchatUrl/);
  });

  it('disconnects a room (204), after which it is gone (404)', async () => {
    const token = hipchat.createRoomNotificationToken(roomId);
    const { connection } = await connectWithToken(addon, { token, hipchatUrl: hipchat.url, room: roomId });
    expect((await request(addon.url).delete(`/api/connections/${connection.id}`).set(admin)).status).toBe(204);
    expect((await request(addon.url).delete(`/api/connections/${connection.id}`).set(admin)).status).toBe(404);
    expect((await request(addon.url).get('/api/connections').set(admin)).body.connections).toEqual([]);
  });
});

describe('who may connect rooms', () => {
  const body = () => ({ token: hipchat.createRoomNotificationToken(roomId), hipchatUrl: hipchat.url, room: roomId });

  it('refuses an unauthenticated attempt (401) without sending anything', async () => {
    const before = notifications(roomId).length;
    const res = await request(addon.url).post('/api/connections').send(body());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect(notifications(roomId).length).toBe(before);
    expect(await countRows(addon, 'gateway_connections')).toBe(0);
  });

  it('refuses a wrong admin token (401), also on listing', async () => {
    const wrong = { Authorization: `Bearer ${ADMIN_TOKEN}x` };
    expect((await request(addon.url).post('/api/connections').set(wrong).send(body())).status).toBe(401);
    expect((await request(addon.url).get('/api/connections').set(wrong)).status).toBe(401);
    expect((await request(addon.url).get('/api/hooks').set(wrong)).status).toBe(401);
    expect(await countRows(addon, 'gateway_connections')).toBe(0);
  });

  it('refuses a forged JWT (401)', async () => {
    const res = await request(addon.url).get('/api/connections').set('Authorization', 'JWT a.b.c');
    expect(res.status).toBe(401);
  });
});

describe('the /connect page', () => {
  it('is a small HTML form whose script only talks to this server', async () => {
    const page = await request(addon.url).get('/connect');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('id="admin-token" type="password"');
    expect(page.text).toContain('name="notificationUrl"');
    expect(page.text).not.toContain('set <code>ADMIN_TOKEN</code>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const script = await request(addon.url).get('/connect/connect.js');
    expect(script.status).toBe(200);
    expect(script.text).toContain("'Bearer '");
    expect(script.text).not.toContain('innerHTML');
    expect((await request(addon.url).get('/connect/connect.css')).status).toBe(200);
  });
});

describe('from an installation\'s configuration page (JWT)', () => {
  it("connects only the page's own room on the installation's HipChat, and sees only its own connections", async () => {
    const installedRoom = hipchat.createRoom('Installed').id;
    const installation = await hipchat.install(`${addon.url}/atlassian-connect.json`, { roomId: installedRoom });
    const user = hipchat.createUser({ name: 'Config Admin', is_group_admin: true });
    const jwt = { Authorization: `JWT ${hipchat.mintJwt(installation.oauthId, { userId: user.id, roomId: installedRoom })}` };
    await connectWithToken(addon, { token: hipchat.createRoomNotificationToken(roomId), hipchatUrl: hipchat.url, room: roomId });

    const elsewhere = await request(addon.url)
      .post('/api/connections')
      .set(jwt)
      .send({ token: hipchat.createRoomNotificationToken(roomId), hipchatUrl: hipchat.url, room: roomId });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.code).toBe('wrong_room');

    const own = await request(addon.url)
      .post('/api/connections')
      .set(jwt)
      .send({ token: hipchat.createRoomNotificationToken(installedRoom), hipchatUrl: hipchat.url, room: installedRoom });
    expect(own.status).toBe(201);
    expect(own.body.connection.oauthId).toBe(installation.oauthId);

    const listed = await request(addon.url).get('/api/connections').set(jwt);
    expect(listed.body.connections.map((c: { id: string }) => c.id)).toEqual([own.body.connection.id]);
    expect((await request(addon.url).get('/api/connections').set(admin)).body.connections).toHaveLength(2);
  });
});
