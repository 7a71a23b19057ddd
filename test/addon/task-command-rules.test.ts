import request from 'supertest';
import { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';
import { command, glancePushes, installTasks, jwtFor, MEMBER, queued, webhookBody } from './tasks-fixtures';
import type { NewInstallation } from '../../src/hipchat/installations/installation';

let addon: TestAddon;
let inst: NewInstallation;
let room = 100;

beforeAll(async () => {
  addon = await startTestAddon();
  inst = await installTasks(addon);
});
afterAll(() => addon.destroy());
// Each test gets a fresh room of the same global installation.
beforeEach(() => {
  room += 1;
});

describe('/task command: escaping, concurrency, rooms, settings, uninstall', () => {
  it('escapes task text in the add reply and the list', async () => {
    const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const added = await command(addon, inst, room, `/task add ${evil}`);
    expect(added.message).toBe('Added #1: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    const listed = await command(addon, inst, room, '/task list');
    expect(listed.message).not.toMatch(/<script|<img/);
    expect(listed.message).toContain('&lt;script&gt;');
    const [glance] = await queued(addon, inst.oauthId, room, 'room_glance');
    expect(JSON.stringify(glance)).not.toContain('script');
  });

  it('gives 20 simultaneous adds 20 distinct numbers', async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => command(addon, inst, room, `/task add Parallel ${i}`)),
    );
    const numbers = replies.map((reply) => Number(/^Added #(\d+):/.exec(reply.message)?.[1]));
    expect(new Set(numbers).size).toBe(20);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Changes in a room are serialised, so the pushed counts arrive in order and end at the truth.
    expect(await glancePushes(addon, inst.oauthId, room)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('keeps rooms of a global installation apart', async () => {
    const other = room + 1000;
    await command(addon, inst, room, '/task add Mine');
    expect((await command(addon, inst, other, '/task add Theirs')).message).toBe('Added #1: Theirs');
    expect((await command(addon, inst, other, '/task done 1')).message).toContain('Done');
    expect((await command(addon, inst, room, '/task list')).message).toBe('<b>Open tasks</b> (1)<br><b>#1</b> Mine');
  });

  it('refuses a webhook whose body names another room than the JWT', async () => {
    const res = await request(addon.url)
      .post('/webhooks/task')
      .set('Authorization', `JWT ${jwtFor(inst, room)}`)
      .send(webhookBody(inst, room + 1, '/task add Sneaky'));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('wrong_room');
    expect(await glancePushes(addon, inst.oauthId, room + 1)).toEqual([]);
  });

  it('refuses a room installation acting in another room, and unsigned or malformed webhooks', async () => {
    const roomInst = await installTasks(addon, room);
    const wrong = await request(addon.url)
      .post('/webhooks/task')
      .set('Authorization', `JWT ${jwtFor(roomInst, null)}`)
      .send(webhookBody(roomInst, room + 5, '/task add Elsewhere'));
    expect(wrong.status).toBe(403);
    const unsigned = await request(addon.url).post('/webhooks/task').send(webhookBody(roomInst, room, '/task add x'));
    expect(unsigned.status).toBe(401);
    const malformed = await request(addon.url)
      .post('/webhooks/task')
      .set('Authorization', `JWT ${jwtFor(roomInst, room)}`)
      .send({ event: 'room_message', oauth_client_id: roomInst.oauthId, item: { room: { id: room } } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/^item\.message/);
  });

  it('announces new tasks through the notification service when configured, in the chosen colour', async () => {
    // Configuring takes a room admin: HipChat (the emulator) says the JWT's user is a group admin.
    const hipchat = await EmulatedHipChat.start();
    // The author's name comes from HipChat (the webhook body's is the caller's word), escaped like the text.
    hipchat.ensureUser(Number(MEMBER), { isGroupAdmin: true, name: 'Ada <Lovelace>' });
    const announcing = await installTasks(addon, null, hipchat);
    await request(addon.url)
      .put('/api/settings')
      .set('Authorization', `JWT ${jwtFor(announcing, room)}`)
      .send({ announceNewTasks: true, color: 'purple' })
      .expect(200);
    const reply = await command(addon, announcing, room, '/task add <b>Bold</b> move');
    expect(reply.color).toBe('purple');
    expect(await queued(addon, announcing.oauthId, room, 'room_notification')).toEqual([
      {
        message: '<b>New task #1</b>: &lt;b&gt;Bold&lt;/b&gt; move (added by Ada &lt;Lovelace&gt;)',
        message_format: 'html',
        color: 'purple',
        notify: true,
      },
    ]);
    // Without the setting, nothing is announced.
    await command(addon, inst, room, '/task add Quiet');
    expect(await queued(addon, inst.oauthId, room, 'room_notification')).toEqual([]);
    await hipchat.close();
  });

  it('deletes an installation’s tasks when it is uninstalled', async () => {
    const leaving = await installTasks(addon);
    await command(addon, leaving, room, '/task add Soon gone');
    await addon.services.installations.delete(leaving.oauthId);
    const { rows } = await addon.services.db.query('SELECT 1 FROM tasks WHERE list_owner = $1 UNION ALL SELECT 1 FROM task_counters WHERE list_owner = $1', [leaving.oauthId]);
    expect(rows).toHaveLength(0);
  });
});
