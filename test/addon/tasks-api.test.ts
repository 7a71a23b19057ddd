import request from 'supertest';
import type { NewInstallation } from '../../src/hipchat/installations/installation';
import { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';
import { glancePushes, installTasks, jwtFor, MEMBER } from './tasks-fixtures';

let addon: TestAddon;
let inst: NewInstallation;
/** Changing settings takes a room admin: this HipChat (the emulator) says the JWTs' user is a group admin. */
let hipchat: EmulatedHipChat;
let room = 500;
const auth = (roomId: number | null = room, who: NewInstallation = inst) => `JWT ${jwtFor(who, roomId)}`;
const create = (text: unknown) => request(addon.url).post('/api/tasks').set('Authorization', auth()).send({ text });

beforeAll(async () => {
  addon = await startTestAddon();
  inst = await installTasks(addon);
  hipchat = await EmulatedHipChat.start();
  hipchat.ensureUser(Number(MEMBER), { isGroupAdmin: true });
});
afterAll(async () => {
  await addon.destroy();
  await hipchat.close();
});
beforeEach(() => {
  room += 1;
});

describe('Tasks JSON API', () => {
  it('creates, lists, updates and deletes a room’s tasks, pushing the glance on every change', async () => {
    const created = await create('  Draft the plan ').expect(201);
    expect(created.body.task).toMatchObject({ number: 1, text: 'Draft the plan', done: false, assignee: null, createdBy: '1001' });
    await create('Second').expect(201);

    const patched = await request(addon.url)
      .patch('/api/tasks/1')
      .set('Authorization', auth())
      .send({ done: true, assignee: '@ada' })
      .expect(200);
    expect(patched.body.task).toMatchObject({ number: 1, done: true, assignee: 'ada' });
    await request(addon.url).patch('/api/tasks/2').set('Authorization', auth()).send({ assignee: null }).expect(200);
    await request(addon.url).patch('/api/tasks/2').set('Authorization', auth()).send({ assignee: 'grace' }).expect(200);

    const open = await request(addon.url).get('/api/tasks').set('Authorization', auth()).expect(200);
    expect(open.body).toMatchObject({ openCount: 1, tasks: [{ number: 2, assignee: 'grace' }] });
    expect(open.headers['cache-control']).toBe('no-store');
    const all = await request(addon.url).get('/api/tasks?all=1').set('Authorization', auth()).expect(200);
    expect(all.body.tasks.map((t: { number: number }) => t.number)).toEqual([2, 1]);

    await request(addon.url).delete('/api/tasks/2').set('Authorization', auth()).expect(204);
    // add, add, done+assign, assign; the no-op unassign pushed nothing; delete.
    expect(await glancePushes(addon, inst.oauthId, room)).toEqual([1, 2, 1, 1, 0]);
  });

  it('names the field at fault for bad input', async () => {
    const admin = await installTasks(addon, null, hipchat);
    const cases: Array<[request.Test, string]> = [
      [create(''), 'text: The task text is empty.'],
      [create('z'.repeat(501)), 'text: The task text is too long (501 characters; at most 500).'],
      [create(42), 'text: '],
      [request(addon.url).post('/api/tasks').set('Authorization', auth()).send({}), 'text: '],
      [request(addon.url).patch('/api/tasks/1').set('Authorization', auth()).send({ done: 'yes' }), 'done: '],
      [request(addon.url).patch('/api/tasks/1').set('Authorization', auth()).send({}), 'body: must set done or assignee'],
      [request(addon.url).patch('/api/tasks/1').set('Authorization', auth()).send({ done: true, colour: 1 }), 'body: '],
      [request(addon.url).patch('/api/tasks/1').set('Authorization', auth()).send({ assignee: '@all' }), 'assignee: '],
      [request(addon.url).patch('/api/tasks/abc').set('Authorization', auth()).send({ done: true }), 'number: '],
      [request(addon.url).delete('/api/tasks/0').set('Authorization', auth()), 'number: '],
      [request(addon.url).put('/api/settings').set('Authorization', auth(room, admin)).send({ color: 'blue' }), 'color: '],
      [request(addon.url).put('/api/settings').set('Authorization', auth(room, admin)).send({ announceNewTasks: 'true' }), 'announceNewTasks: '],
    ];
    for (const [pending, message] of cases) {
      const res = await pending;
      expect({ status: res.status, message: res.body.error?.message?.slice(0, message.length) }).toEqual({ status: 400, message });
    }
    expect(await glancePushes(addon, inst.oauthId, room)).toEqual([]);
  });

  it('answers 404 for unknown numbers', async () => {
    await create('Exists').expect(201);
    for (const pending of [
      request(addon.url).patch('/api/tasks/99').set('Authorization', auth()).send({ done: true }),
      request(addon.url).delete('/api/tasks/99').set('Authorization', auth()),
    ]) {
      const res = await pending;
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('task_not_found');
    }
  });

  it('refuses other rooms: the room comes only from the JWT', async () => {
    await create('Private').expect(201);
    const other = room + 1;
    const queryRoom = await request(addon.url).get(`/api/tasks?roomId=${other}`).set('Authorization', auth());
    expect(queryRoom.status).toBe(403);
    expect(queryRoom.body.error.code).toBe('wrong_room');
    const bodyRoom = await request(addon.url).post('/api/tasks').set('Authorization', auth()).send({ text: 'x', roomId: other });
    expect(bodyRoom.status).toBe(403);
    const patchRoom = await request(addon.url)
      .patch(`/api/tasks/1?room_id=${other}`)
      .set('Authorization', auth())
      .send({ done: true });
    expect(patchRoom.status).toBe(403);
    // Naming its own room is fine.
    await request(addon.url).get(`/api/tasks?roomId=${room}`).set('Authorization', auth()).expect(200);
    // Another room's token sees its own (empty) list, not this one.
    const otherList = await request(addon.url).get('/api/tasks').set('Authorization', auth(other)).expect(200);
    expect(otherList.body).toEqual({ tasks: [], openCount: 0 });
    await request(addon.url).delete('/api/tasks/1').set('Authorization', auth(other)).expect(404);
    // Another installation cannot reach this one's tasks in the same room.
    const stranger = await installTasks(addon);
    const strangers = await request(addon.url).get('/api/tasks').set('Authorization', auth(room, stranger)).expect(200);
    expect(strangers.body.tasks).toEqual([]);
    // A token without a room cannot use the task API.
    const roomless = await request(addon.url).get('/api/tasks').set('Authorization', auth(null));
    expect(roomless.status).toBe(400);
    expect(roomless.body.error.code).toBe('room_required');
  });

  it('requires a valid JWT', async () => {
    await request(addon.url).get('/api/tasks').expect(401);
    const forged = jwtFor({ ...inst, oauthSecret: 'not-the-secret' }, room);
    await request(addon.url).get('/api/tasks').set('Authorization', `JWT ${forged}`).expect(401);
  });

  it('reads and saves settings per installation', async () => {
    const own = await installTasks(addon, null, hipchat);
    const get = () => request(addon.url).get('/api/settings').set('Authorization', auth(room, own));
    expect((await get().expect(200)).body).toEqual({ announceNewTasks: false, color: 'yellow' });
    await request(addon.url).put('/api/settings').set('Authorization', auth(room, own)).send({ color: 'green' }).expect(200);
    const saved = await request(addon.url).put('/api/settings').set('Authorization', auth(room, own)).send({ announceNewTasks: true });
    expect(saved.body).toEqual({ announceNewTasks: true, color: 'green' });
    expect((await get().expect(200)).body).toEqual({ announceNewTasks: true, color: 'green' });
    expect((await request(addon.url).get('/api/settings').set('Authorization', auth()).expect(200)).body.color).toBe('yellow');
  });
});

describe('glance', () => {
  const glance = (roomId: number) => request(addon.url).get(`/glance/tasks?signed_request=${jwtFor(inst, roomId)}`);

  it('reports 0, 1 and many open tasks', async () => {
    expect((await glance(room).expect(200)).body).toEqual({
      label: { type: 'html', value: '<b>0</b> open tasks' },
      status: { type: 'lozenge', value: { label: 'All done', type: 'success' } },
      metadata: { openCount: 0 },
    });
    await create('<script>alert(1)</script>').expect(201);
    const one = (await glance(room).expect(200)).body;
    expect(one.label.value).toBe('<b>1</b> open task');
    expect(JSON.stringify(one)).not.toContain('script');
    for (let i = 0; i < 11; i += 1) await create(`Task ${i}`).expect(201);
    expect((await glance(room).expect(200)).body).toMatchObject({
      label: { value: '<b>12</b> open tasks' },
      status: { value: { label: '12 open', type: 'error' } },
    });
  });

  it('allows CORS from allowed HipChat origins only, including the preflight', async () => {
    const origin = 'http://127.0.0.1:4000';
    const allowed = await glance(room).set('Origin', origin).expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(origin);
    expect(allowed.headers.vary).toMatch(/Origin/);
    const refused = await glance(room).set('Origin', 'https://evil.example').expect(200);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();

    for (const path of ['/glance/tasks', '/api/tasks/1']) {
      const preflight = await request(addon.url)
        .options(path)
        .set('Origin', origin)
        .set('Access-Control-Request-Method', path === '/glance/tasks' ? 'GET' : 'PATCH')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(origin);
      expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/i);
    }
    // Routes other than the glance and the API do not answer CORS at all.
    const page = await request(addon.url).get(`/sidebar?signed_request=${jwtFor(inst, room)}`).set('Origin', origin);
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
  });
});
