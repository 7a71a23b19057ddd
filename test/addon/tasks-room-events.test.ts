import type { User } from '../../src/emulator';
import { startTestKit, type TestKit } from '../../src/testing';

/**
 * Tasks following its rooms, through the emulator on a global installation: the opt-in room_enter
 * reminder (a private message), archived rooms' frozen lists, deleted rooms' lists, the "Add as task"
 * input action.
 */
describe('Tasks and room events', () => {
  let kit: TestKit;
  let oauthId: string;
  let ada: User;
  let bob: User;

  beforeAll(async () => {
    kit = await startTestKit();
    ada = kit.users.create({ name: 'Ada', mention: 'ada', admin: true });
    bob = kit.users.create({ name: 'Bob', mention: 'bob' });
    oauthId = (await kit.install()).oauthId;
  }, 60_000);
  afterAll(() => kit?.stop());

  const call = (method: string, path: string, as: User, roomId: number, body?: unknown) =>
    fetch(`${kit.addon.url}${path}`, {
      method,
      headers: { Authorization: `JWT ${kit.emulator.mintJwt(oauthId, { userId: as.id, roomId })}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const setReminders = (on: boolean, as: User, roomId: number) => call('PUT', '/api/settings', as, roomId, { remindOnEnter: on });
  const privateChat = (user: User) => kit.emulator.privateChat(user.id).map((message) => message.message);

  it('offers "Add as task" beside the message box, opening the create-task dialog', async () => {
    const descriptor = (await (await fetch(`${kit.addon.url}/atlassian-connect.json`)).json()) as {
      capabilities: { action: Array<Record<string, unknown>>; hipchatApiConsumer: { scopes: string[] } };
    };
    expect(descriptor.capabilities.action).toContainEqual(
      expect.objectContaining({ key: 'add-as-task', location: 'hipchat.input.action', target: 'create-task-dialog' }),
    );
    expect(descriptor.capabilities.hipchatApiConsumer.scopes).toContain('send_message');
  });

  it('the dialog HipChat opens with the message box\'s text shows it prefilled, escaped', async () => {
    const room = kit.rooms.create('Composer');
    const { url } = await kit.openPage({ dialog: 'create-task-dialog' }, { as: bob, room });
    const res = await fetch(`${url}&text=${encodeURIComponent('Buy <milk> & eggs')}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<textarea id="text"[^>]*>Buy &lt;milk&gt; &amp; eggs<\/textarea>/);
  });

  it('room_enter: off by default; on, the person gets their open tasks once a day; nothing without any', async () => {
    const room = kit.rooms.create('Reminders');
    await room.say('/task add Fix the build', { as: ada });
    await room.say('/task add Write the notes', { as: ada });
    await room.say('/task add Someone else\'s', { as: ada });
    await room.say('/task assign 1 @bob', { as: ada });
    await room.say('/task assign 2 @bob', { as: ada });
    await room.say('/task done 2', { as: ada });
    await room.say('/task assign 3 @ada', { as: ada });

    await room.events.enter(bob);
    expect(privateChat(bob)).toEqual([]);

    // An ordinary member may not turn it on (the admin rule of the settings).
    expect((await setReminders(true, bob, room.id)).status).toBe(403);
    expect((await setReminders(true, ada, room.id)).status).toBe(200);

    await room.events.enter(bob);
    expect(privateChat(bob)).toEqual([expect.stringContaining('You have <b>1</b> open task in <b>Reminders</b>')]);
    expect(privateChat(bob)[0]).toContain('Fix the build');
    expect(privateChat(bob)[0]).not.toContain('Write the notes');
    expect(privateChat(bob)[0]).not.toContain('Someone else');

    // The same day: nothing new.
    await room.events.exit(bob);
    await room.events.enter(bob);
    expect(privateChat(bob)).toHaveLength(1);

    // No open tasks assigned to her here: nothing.
    const carol = kit.users.create({ name: 'Carol', mention: 'carol' });
    await room.events.enter(carol);
    expect(privateChat(carol)).toEqual([]);

    // A day later (the claim moved back a day), the reminder comes again; turned off, it does not.
    await kit.addon.services.db.query("UPDATE task_reminders SET reminded_at = reminded_at - interval '25 hours'");
    await room.events.enter(bob);
    expect(privateChat(bob)).toHaveLength(2);
    await kit.addon.services.db.query("UPDATE task_reminders SET reminded_at = reminded_at - interval '25 hours'");
    expect((await setReminders(false, ada, room.id)).status).toBe(200);
    await room.events.enter(bob);
    expect(privateChat(bob)).toHaveLength(2);
  });

  it('two deliveries of room_enter at once (two instances, a retry) send one reminder: the claim is the database\'s', async () => {
    const room = kit.rooms.create('Race');
    const dan = kit.users.create({ name: 'Dan', mention: 'dan' });
    await room.say('/task add Check the race', { as: ada });
    await room.say('/task assign 1 @dan', { as: ada });
    expect((await setReminders(true, ada, room.id)).status).toBe(200);
    await Promise.all([kit.emulator.enterRoom(room.id, dan.id), kit.emulator.enterRoom(room.id, dan.id)]);
    expect(privateChat(dan)).toEqual([expect.stringContaining('Check the race')]);
    expect((await setReminders(false, ada, room.id)).status).toBe(200);
  });

  it('room_archived freezes the list (glance says so, the API answers 409); room_unarchived thaws it', async () => {
    const room = kit.rooms.create('Archive me');
    await room.say('/task add Pack up', { as: ada });

    await kit.emulator.archiveRoom(room.id, ada.id);
    await kit.settle();
    const frozen = await room.glance('tasks');
    expect(frozen.content.label.value).toBe('<b>1</b> open task (archived)');
    expect(frozen.content.status).toEqual({ type: 'lozenge', value: { label: 'Frozen', type: 'moved' } });

    for (const res of [
      await call('POST', '/api/tasks', ada, room.id, { text: 'Too late' }),
      await call('PATCH', '/api/tasks/1', ada, room.id, { done: true }),
      await call('DELETE', '/api/tasks/1', ada, room.id),
    ]) {
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({ error: { code: 'room_archived', message: expect.stringContaining('archived') } });
    }
    // Reading still works, and HipChat's own query of the glance agrees.
    const list = (await (await call('GET', '/api/tasks', ada, room.id)).json()) as { tasks: unknown[] };
    expect(list.tasks).toHaveLength(1);
    const queried = await kit.emulator.queryGlance(oauthId, room.id, ada.id, 'tasks');
    expect(queried.content.label.value).toBe('<b>1</b> open task (archived)');

    await kit.emulator.unarchiveRoom(room.id, ada.id);
    await kit.settle();
    expect((await room.glance('tasks')).content.label.value).toBe('<b>1</b> open task');
    expect((await call('PATCH', '/api/tasks/1', ada, room.id, { done: true })).status).toBe(200);
  });

  it('room_deleted removes a global installation\'s tasks of that room, and only that room', async () => {
    const doomed = kit.rooms.create('Doomed');
    const kept = kit.rooms.create('Kept');
    await doomed.say('/task add Gone soon', { as: ada });
    await kept.say('/task add Stays', { as: ada });
    const count = async (roomId: number) =>
      (await kit.addon.services.db.query('SELECT 1 FROM tasks WHERE list_owner = $1 AND room_id = $2', [oauthId, roomId])).rows.length;
    expect(await count(doomed.id)).toBe(1);

    const { webhooks } = await kit.emulator.deleteRoom(doomed.id, ada.id);
    expect(webhooks.map((hook) => hook.status)).toEqual([204]);
    expect(await count(doomed.id)).toBe(0);
    expect(await count(kept.id)).toBe(1);
  });
});
