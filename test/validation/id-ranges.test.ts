import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { Emulator } from '../../src/emulator';
import type { NewInstallation } from '../../src/hipchat/installations/installation';
import { installTasks, webhookBody } from '../addon/tasks-fixtures';
import { admin, ADMIN_TOKEN, connectWithToken, createHook, ENCRYPTION_KEY, pathOf } from '../gateway/gateway-fixtures';
import { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';

/**
 * Every id that comes in at the edge (bodies, paths, query strings, JWT claims) is checked against its
 * column's range (Postgres integer: 1 … 2^31−1) before it reaches a query. Each endpoint gets every
 * boundary value: the one valid one may be refused for other reasons, the rest must be a clear 4xx
 * (400, or the row's own refusal), and nothing may be a 5xx.
 */
const MAX = 2 ** 31 - 1;
const BOUNDARY: unknown[] = [0, -1, MAX, 2 ** 31, 3_000_000_000, 1e20, 1.5, '12abc', '9'.repeat(2000), null];
const isValidId = (value: unknown) => value === MAX || value === String(MAX);

let emulator: Emulator;
/** Answers the global installation's admin look-ups: the JWTs' user 1001 is a group admin. */
let hipchat: EmulatedHipChat;
let addon: TestAddon;
let global: NewInstallation;
let roomInstall: NewInstallation;
let tokenRoom: number;
let connectionId: string;
let commandPath: string;
let hookPath: string;

function signedFor(inst: NewInstallation, context: Record<string, unknown> | undefined, sub: unknown = '1001'): string {
  const payload = { iss: inst.oauthId, sub, jti: crypto.randomUUID(), ...(context ? { context } : {}) };
  return jwt.sign(payload, inst.oauthSecret, { algorithm: 'HS256', expiresIn: 300 });
}
const asJwt = (token: string) => ({ Authorization: `JWT ${token}` });
/** A JWT of a page opened in room 5 (the room installation's room). */
const pageJwt = () => asJwt(signedFor(roomInstall, { room_id: 5 }));
const text = (value: unknown) => encodeURIComponent(String(value));
const api = () => request(addon.url);

interface Row {
  name: string;
  send: (value: unknown) => request.Test;
  /** What an invalid value is answered (400 unless the row says otherwise). */
  invalid?: number[];
  /** Values of this field that are not ids at all, answered like a valid one (e.g. null for "not given"). */
  alsoValid?: unknown[];
}

const rows: Row[] = [
  {
    name: 'POST /webhooks/task item.room.id (a global installation, the JWT naming no room)',
    send: (v) => {
      const body = webhookBody(global, 5, '/task list');
      return api().post('/webhooks/task').set(asJwt(signedFor(global, undefined))).send({ ...body, item: { ...body.item, room: { id: v } } });
    },
  },
  {
    name: 'POST /webhooks/task item.message.from.id',
    send: (v) => {
      const body = webhookBody(global, 5, '/task add From anyone');
      const message = { ...body.item.message, from: { ...body.item.message.from, id: v } };
      // The JWT's user is the same value, so the sender check passes and the id's range is what is tested.
      return api().post('/webhooks/task').set(asJwt(signedFor(global, { room_id: 5 }, String(v)))).send({ ...body, item: { ...body.item, message } });
    },
  },
  {
    name: 'JWT context.room_id (GET /api/tasks)',
    send: (v) => api().get('/api/tasks').set(asJwt(signedFor(global, { room_id: v }))),
    // A claim HipChat could not have signed is an authentication refusal; 0 and null mean "no room".
    invalid: [400, 401],
  },
  {
    name: 'JWT sub (POST /api/tasks)',
    send: (v) => api().post('/api/tasks').set(asJwt(signedFor(global, { room_id: 5 }, v))).send({ text: 'By whom?' }),
    // sub is stored as text: any value is kept (or ignored), never a crash.
    alsoValid: BOUNDARY,
  },
  { name: 'POST /api/tasks roomId', send: (v) => api().post('/api/tasks').set(pageJwt()).send({ text: 'x', roomId: v }), invalid: [400] },
  { name: 'GET /api/tasks?roomId=', send: (v) => api().get(`/api/tasks?roomId=${text(v)}`).set(pageJwt()) },
  { name: 'GET /glance/tasks?room_id=', send: (v) => api().get(`/glance/tasks?room_id=${text(v)}`).set(pageJwt()) },
  { name: 'PATCH /api/tasks/:number', send: (v) => api().patch(`/api/tasks/${text(v)}`).set(pageJwt()).send({ done: true }) },
  { name: 'DELETE /api/tasks/:number', send: (v) => api().delete(`/api/tasks/${text(v)}`).set(pageJwt()) },
  {
    name: 'POST /api/hooks roomId (a global installation)',
    send: (v) => api().post('/api/hooks').set(asJwt(signedFor(global, { room_id: 5 }))).send({ roomId: v }),
  },
  {
    name: 'POST /api/hooks connectionId (admin)',
    send: (v) => api().post('/api/hooks').set(admin).send({ connectionId: v }),
    // A connection id is a UUID: any other string is no connection.
    invalid: [400, 404],
  },
  {
    name: 'DELETE /api/hooks/:id (admin)',
    send: (v) => api().delete(`/api/hooks/${text(v)}`).set(admin),
    invalid: [404],
    alsoValid: BOUNDARY,
  },
  {
    name: 'POST /api/connections room (admin)',
    send: (v) =>
      api().post('/api/connections').set(admin).send({ token: emulator.createRoomNotificationToken(tokenRoom), hipchatUrl: emulator.url, room: v }),
    // A string that is not digits is a room name, which HipChat is asked to resolve.
    alsoValid: ['12abc'],
  },
  {
    name: 'POST /api/connections notificationUrl …/room/{id}/notification (admin)',
    send: (v) =>
      api()
        .post('/api/connections')
        .set(admin)
        .send({ notificationUrl: `${emulator.url}/v2/room/${text(v)}/notification?auth_token=${emulator.createRoomNotificationToken(tokenRoom)}` }),
    alsoValid: ['12abc', null],
  },
  {
    name: 'DELETE /api/connections/:id (admin)',
    send: (v) => api().delete(`/api/connections/${text(v)}`).set(admin),
    invalid: [404],
    alsoValid: BOUNDARY,
  },
  {
    name: 'POST /byo/{secret}/command item.room.id',
    send: (v) => api().post(commandPath).send({ event: 'room_message', item: { message: { message: '/task list', from: { id: 1, name: 'A', mention_name: 'a' } }, room: { id: v } } }),
    invalid: [400],
  },
  {
    name: 'POST /byo/{secret}/command item.message.from.id',
    send: (v) =>
      api().post(commandPath).send({ event: 'room_message', item: { message: { message: '/task add By id', from: { id: v, name: 'A', mention_name: 'a' } }, room: { id: tokenRoom } } }),
  },
  {
    name: 'GET /hooks/{secret}/deliveries/:id',
    send: (v) => api().get(`${hookPath}/deliveries/${text(v)}`),
    invalid: [404],
    alsoValid: BOUNDARY,
  },
  { name: 'GET /api/admin/dead-letters?limit=', send: (v) => api().get(`/api/admin/dead-letters?limit=${text(v)}`).set(admin), alsoValid: [0, -1] },
  { name: 'POST /api/admin/dead-letters/:id/replay', send: (v) => api().post(`/api/admin/dead-letters/${text(v)}/replay`).set(admin) },
  {
    name: 'POST /installable groupId',
    send: (v) => api().post('/installable').send(installBody({ groupId: v })),
  },
  {
    name: 'POST /installable/updated roomId',
    send: (v) => api().post('/installable/updated').send(installBody({ roomId: v })),
    alsoValid: [null],
  },
  { name: 'DELETE /installable/:oauthId', send: (v) => api().delete(`/installable/${text(v)}`) },
];

/** An install whose capabilities URL is on an untrusted host: a valid body is refused there, after the ids. */
function installBody(overrides: Record<string, unknown>) {
  return {
    oauthId: crypto.randomUUID(),
    oauthSecret: 'secret',
    capabilitiesUrl: 'https://untrusted.example/v2/capabilities',
    groupId: 1,
    roomId: 1,
    ...overrides,
  };
}

beforeAll(async () => {
  // One HipChat for both sides: the gateway's room token and the global installation's admin look-ups.
  hipchat = await EmulatedHipChat.start();
  emulator = hipchat.emulator;
  tokenRoom = emulator.createRoom('Ranges').id;
  addon = await startTestAddon({ ADMIN_TOKEN, ENCRYPTION_KEY });
  hipchat.ensureUser(1001, { isGroupAdmin: true });
  global = await installTasks(addon, null, hipchat);
  roomInstall = await installTasks(addon, 5);
  const connected = await connectWithToken(addon, { token: emulator.createRoomNotificationToken(tokenRoom), hipchatUrl: emulator.url, room: tokenRoom });
  connectionId = connected.connection.id;
  commandPath = pathOf(connected.commandUrl);
  hookPath = pathOf((await createHook(addon, { connectionId })).url);
}, 30_000);

afterAll(async () => {
  await addon?.destroy();
  await hipchat?.close();
});

describe('ids out of their column’s range are refused at the edge, never a 5xx', () => {
  it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const answers: Array<{ value: string; status: number; code?: string }> = [];
    for (const value of BOUNDARY) {
      const res = await row.send(value);
      answers.push({ value: String(value).slice(0, 12), status: res.status, code: res.body?.error?.code });
    }
    // Nothing crashes, and every refusal is the one JSON error shape.
    expect(answers.filter((answer) => answer.status >= 500)).toEqual([]);
    const invalidStatuses = row.invalid ?? [400];
    const wrong = answers.filter((answer, i) => {
      const value = BOUNDARY[i];
      if (isValidId(value) || (row.alsoValid ?? []).includes(value)) return false;
      return !invalidStatuses.includes(answer.status);
    });
    expect(wrong).toEqual([]);
  });

  it('POST /api/hooks {"roomId": 3000000000} is a 400 naming roomId (it was a 500 with a stack at error level)', async () => {
    const res = await api().post('/api/hooks').set(asJwt(signedFor(global, { room_id: 5 }))).send({ roomId: 3_000_000_000 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_request', message: `roomId: must be a whole number from 1 to ${MAX}` } });
  });
});
