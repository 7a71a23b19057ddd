import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { NewInstallation } from '../../src/hipchat/installations/installation';
import { glancePushes, installTasks, webhookBody } from '../addon/tasks-fixtures';
import { countRows } from '../gateway/gateway-fixtures';
import { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';

let addon: TestAddon;
/** Answers the admin look-ups of configuration changes: the JWTs' user 1001 is a group admin. */
let hipchat: EmulatedHipChat;
let inst: NewInstallation;
let room = 700;

/** A JWT as HipChat signs it, with the claims a test needs fixed (a jti to replay, or none at all). */
function signed(roomId: number, claims: Record<string, unknown> = {}, who: NewInstallation = inst): string {
  const payload = { iss: who.oauthId, sub: '1001', jti: crypto.randomUUID(), context: { room_id: roomId }, ...claims };
  return jwt.sign(payload, who.oauthSecret, { algorithm: 'HS256', ...('exp' in claims ? {} : { expiresIn: 300 }) });
}

const post = (path: string, token: string, body: unknown) =>
  request(addon.url).post(path).set('Authorization', `JWT ${token}`).send(body as object);

const slashCommand = (token: string, message: string, roomId = room) => post('/webhooks/task', token, webhookBody(inst, roomId, message));

async function taskTexts(roomId = room): Promise<string[]> {
  const { rows } = await addon.services.db.query<{ text: string }>(
    'SELECT text FROM tasks WHERE list_owner = $1 AND room_id = $2 ORDER BY number',
    [inst.oauthId, roomId],
  );
  return rows.map((row) => row.text);
}

beforeAll(async () => {
  addon = await startTestAddon({ ADMIN_TOKEN: 'replay-admin-token' });
  hipchat = await EmulatedHipChat.start();
  hipchat.ensureUser(1001, { isGroupAdmin: true });
  inst = await installTasks(addon, null, hipchat);
});
afterAll(async () => {
  await addon.destroy();
  await hipchat.close();
});
beforeEach(() => {
  room += 1;
});

describe('a signed request changes something once (per oauthId and jti)', () => {
  it('the same signed /task add sent twice adds one task (the replay gets the original reply)', async () => {
    const token = signed(room);
    const first = await slashCommand(token, '/task add Buy milk').expect(200);
    expect(first.body.message).toBe('Added #1: Buy milk');
    const replay = await slashCommand(token, '/task add Buy milk').expect(200);
    expect(replay.body).toEqual(first.body);
    expect(await taskTexts()).toEqual(['Buy milk']);
    expect(await glancePushes(addon, inst.oauthId, room)).toEqual([1]);
  });

  it('a replayed /task done, assign and delete change nothing the second time', async () => {
    await slashCommand(signed(room), '/task add One');
    for (const message of ['/task done 1', '/task undo 1', '/task assign 1 @ada', '/task delete 1']) {
      const token = signed(room);
      const first = await slashCommand(token, message).expect(200);
      const pushes = await glancePushes(addon, inst.oauthId, room);
      expect((await slashCommand(token, message).expect(200)).body).toEqual(first.body);
      expect(await glancePushes(addon, inst.oauthId, room)).toEqual(pushes);
    }
    expect(await taskTexts()).toEqual([]);
  });

  it('the same signed /task add sent twice at once adds one task, and both get its reply', async () => {
    const token = signed(room);
    const [a, b] = await Promise.all([slashCommand(token, '/task add Together'), slashCommand(token, '/task add Together')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
    expect(await taskTexts()).toEqual(['Together']);
  });

  it('a webhook replaying the jti of an API write is refused with 409 and adds nothing', async () => {
    const token = signed(room);
    await post('/api/tasks', token, { text: 'From the dialog' }).expect(201);
    const replay = await slashCommand(token, '/task add Sneaked in').expect(409);
    expect(replay.body.error.code).toBe('replayed_request');
    expect(await taskTexts()).toEqual(['From the dialog']);
  });

  it('a replayed API write answers 409 replayed_request and has no second effect (POST, PATCH, DELETE /api/tasks, PUT /api/settings)', async () => {
    const create = signed(room);
    await post('/api/tasks', create, { text: 'Once' }).expect(201);
    const replayed = await post('/api/tasks', create, { text: 'Once' }).expect(409);
    expect(replayed.body).toEqual({ error: { code: 'replayed_request', message: expect.any(String) } });
    expect(await taskTexts()).toEqual(['Once']);

    const patch = signed(room);
    const api = () => request(addon.url);
    await api().patch('/api/tasks/1').set('Authorization', `JWT ${patch}`).send({ done: true }).expect(200);
    await api().patch('/api/tasks/1').set('Authorization', `JWT ${signed(room)}`).send({ done: false }).expect(200);
    // Replayed, the first PATCH would mark the task done again.
    await api().patch('/api/tasks/1').set('Authorization', `JWT ${patch}`).send({ done: true }).expect(409);
    expect((await api().get('/api/tasks').set('Authorization', `JWT ${signed(room)}`)).body.openCount).toBe(1);

    const settings = signed(room);
    await api().put('/api/settings').set('Authorization', `JWT ${settings}`).send({ color: 'green' }).expect(200);
    await api().put('/api/settings').set('Authorization', `JWT ${signed(room)}`).send({ color: 'red' }).expect(200);
    await api().put('/api/settings').set('Authorization', `JWT ${settings}`).send({ color: 'green' }).expect(409);
    expect((await api().get('/api/settings').set('Authorization', `JWT ${signed(room)}`)).body.color).toBe('red');

    const remove = signed(room);
    await api().delete('/api/tasks/1').set('Authorization', `JWT ${remove}`).expect(204);
    await api().delete('/api/tasks/1').set('Authorization', `JWT ${remove}`).expect(409);
  });

  it('a write that fails does not use up its jti: the same token works once the failure is gone', async () => {
    const token = signed(room);
    const patch = () => request(addon.url).patch('/api/tasks/1').set('Authorization', `JWT ${token}`).send({ done: true });
    expect((await patch()).status).toBe(404);
    await post('/api/tasks', signed(room), { text: 'Now it exists' }).expect(201);
    expect((await patch()).status).toBe(200);
    expect((await patch()).status).toBe(409);
  });

  it('a replayed hook creation answers 409 and creates one hook; a replayed revoke answers 409', async () => {
    const before = await countRows(addon, 'gateway_hooks');
    const token = signed(room);
    await post('/api/hooks', token, { label: 'CI' }).expect(201);
    const replay = await post('/api/hooks', token, { label: 'CI' }).expect(409);
    expect(replay.body.error.code).toBe('replayed_request');
    expect(await countRows(addon, 'gateway_hooks')).toBe(before + 1);

    const listed = await request(addon.url).get('/api/hooks').set('Authorization', `JWT ${token}`).expect(200);
    const id = (listed.body.hooks as Array<{ id: string; label: string }>).find((hook) => hook.label === 'CI')!.id;
    const revoke = signed(room);
    await request(addon.url).delete(`/api/hooks/${id}`).set('Authorization', `JWT ${revoke}`).expect(204);
    expect((await request(addon.url).delete(`/api/hooks/${id}`).set('Authorization', `JWT ${revoke}`)).status).toBe(409);
  });

  it('the admin token (no JWT, no jti) still creates hooks as often as it is used', async () => {
    const admin = { Authorization: 'Bearer replay-admin-token' };
    const body = { connectionId: crypto.randomUUID() };
    // Not a replay: an unknown connection is a 404 each time, never a 409.
    expect((await request(addon.url).post('/api/hooks').set(admin).send(body)).status).toBe(404);
    expect((await request(addon.url).post('/api/hooks').set(admin).send(body)).status).toBe(404);
  });

  it('a state-changing request whose JWT has no jti is refused (HipChat always sends one: the safer reading)', async () => {
    const noJti = signed(room, { jti: undefined });
    for (const res of [
      await post('/api/tasks', noJti, { text: 'Replayable' }),
      await post('/api/hooks', noJti, { label: 'Replayable' }),
      await slashCommand(noJti, '/task add Replayable'),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('missing_jti');
    }
    expect(await taskTexts()).toEqual([]);
    // Reading needs no jti.
    await request(addon.url).get('/api/tasks').set('Authorization', `JWT ${noJti}`).expect(200);
    expect((await slashCommand(noJti, '/task list').expect(200)).body.message).toContain('No open tasks');
  });

  it('reads stay off the replay table: /task list, the glance and GET /api/tasks answer one token any number of times', async () => {
    await post('/api/tasks', signed(room), { text: 'Listed' }).expect(201);
    const recorded = await countRows(addon, 'used_jtis');
    const token = signed(room);
    for (let i = 0; i < 3; i++) {
      expect((await slashCommand(token, '/task list').expect(200)).body.message).toContain('Listed');
      await request(addon.url).get(`/glance/tasks?signed_request=${token}`).expect(200);
      await request(addon.url).get('/api/tasks').set('Authorization', `JWT ${token}`).expect(200);
      await request(addon.url).get('/api/hooks').set('Authorization', `JWT ${token}`).expect(200);
    }
    expect(await countRows(addon, 'used_jtis')).toBe(recorded);
  });

  it('another installation may use the same jti (the key is oauthId and jti)', async () => {
    const other = await installTasks(addon);
    const jti = crypto.randomUUID();
    await post('/api/tasks', signed(room, { jti }), { text: 'Mine' }).expect(201);
    await post('/api/tasks', signed(room, { jti }, other), { text: 'Theirs' }).expect(201);
  });

  it('a used jti is kept until its token expires plus the clock skew, with the webhook reply', async () => {
    const exp = Math.floor(Date.now() / 1000) + 120;
    const jti = crypto.randomUUID();
    await slashCommand(signed(room, { jti, exp }), '/task add Kept').expect(200);
    const { rows } = await addon.services.db.query<{ expires_at: Date; reply: { message: string } | string }>(
      'SELECT expires_at, reply FROM used_jtis WHERE oauth_id = $1 AND jti = $2',
      [inst.oauthId, jti],
    );
    expect(rows[0]!.expires_at.getTime()).toBe((exp + addon.services.config.jwtClockSkewSeconds) * 1000);
    const reply = typeof rows[0]!.reply === 'string' ? JSON.parse(rows[0]!.reply) : rows[0]!.reply;
    expect(reply.message).toBe('Added #1: Kept');
  });
});
