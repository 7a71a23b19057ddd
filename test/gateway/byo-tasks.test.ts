import crypto from 'node:crypto';
import request from 'supertest';
import type { Emulator, User } from '../../src/emulator';
import type { RunningAddon } from '../../src/runtime';
import { startTestKit, type TestKit } from '../../src/testing';
import { admin, ADMIN_TOKEN, connectWithToken, countRows, ENCRYPTION_KEY } from './gateway-fixtures';

/** Tasks in rooms connected by token: a build-your-own integration's /task posts to the room's command URL. */
let kit: TestKit;
let hipchat: Emulator;
let addon: RunningAddon;
let ada: User;

beforeAll(async () => {
  kit = await startTestKit({ env: { ADMIN_TOKEN, ENCRYPTION_KEY } });
  ({ emulator: hipchat, addon } = kit);
  ada = hipchat.createUser({ name: 'Ada Lovelace', mention_name: 'ada' });
});

afterAll(() => kit?.stop());

/** A new room, connected by token, with a BYO integration whose /task posts to the connection's command URL. */
async function connectedRoom(name: string) {
  const roomId = hipchat.createRoom(name).id;
  const token = hipchat.createRoomNotificationToken(roomId);
  const { connection, commandUrl } = await connectWithToken(addon, { token, hipchatUrl: hipchat.url, room: roomId });
  hipchat.createBuildYourOwnIntegration(roomId, { name: 'Tasks', slashCommand: { command: '/task', url: commandUrl } });
  return { roomId, connectionId: connection.id, commandUrl, commandPath: new URL(commandUrl).pathname };
}

/** Posts as Ada and returns the reply the integration's answer put in the room. */
async function say(roomId: number, text: string) {
  const { webhooks } = await hipchat.postMessage(roomId, ada.id, text);
  const byo = webhooks.filter((hook) => hook.target === 'integration');
  expect(byo).toHaveLength(1);
  expect(byo[0]).toMatchObject({ status: 200 });
  expect(byo[0]?.replyError).toBeUndefined();
  return byo[0]?.reply;
}

function commandBody(roomId: number, text: string) {
  return {
    event: 'room_message',
    item: {
      message: { message: text, from: { id: ada.id, name: ada.name, mention_name: ada.mention_name } },
      room: { id: roomId, name: 'Any' },
    },
  };
}

const tasksOf = async (connectionId: string) =>
  (
    await addon.services.db.query<{ number: number; text: string }>(
      'SELECT number, text FROM tasks WHERE list_owner = $1 ORDER BY number',
      [`connection:${connectionId}`],
    )
  ).rows;

describe('the build-your-own /task command of a token-connected room', () => {
  it('adds, lists and completes tasks, answering with the notification HipChat posts in the room', async () => {
    const { roomId, connectionId } = await connectedRoom('BYO basics');

    const added = await say(roomId, '/task add Buy <b>milk</b>');
    expect(added).toMatchObject({ type: 'notification', message: 'Added #1: Buy &lt;b&gt;milk&lt;/b&gt;', message_format: 'html' });
    expect(hipchat.history(roomId).at(-1)?.message).toBe('Added #1: Buy &lt;b&gt;milk&lt;/b&gt;');
    await say(roomId, '/task add Fix the door');

    const listed = await say(roomId, '/task list');
    expect(listed?.message).toContain('Buy &lt;b&gt;milk&lt;/b&gt;');
    expect(listed?.message).toContain('Fix the door');

    expect((await say(roomId, '/task done 1'))?.message).toMatch(/^Done: /);
    expect((await say(roomId, '/task done 7'))?.message).toBe('There is no task #7 in this room.');
    expect(await tasksOf(connectionId)).toEqual([
      { number: 1, text: 'Buy <b>milk</b>' },
      { number: 2, text: 'Fix the door' },
    ]);
  });

  it('pushes no glance for a token room (no glance module; its token may only send notifications)', async () => {
    const { roomId, connectionId } = await connectedRoom('BYO no glance');
    await say(roomId, '/task add Water the plants');
    expect(await tasksOf(connectionId)).toHaveLength(1);
    const { rows } = await addon.services.db.query<{ operation: string }>('SELECT operation FROM outbox WHERE room_id = $1', [roomId]);
    expect(rows.map((row) => row.operation)).not.toContain('room_glance');
  });

  it('answers /task alone, and any other message, with the /task help instead of running anything', async () => {
    const { roomId, connectionId, commandPath } = await connectedRoom('BYO help');
    expect((await say(roomId, '/task'))?.message).toContain('/task add');
    const other = await request(addon.url).post(commandPath).send(commandBody(roomId, '/todo add Milk'));
    expect(other.status).toBe(200);
    expect(other.body.message).toContain('/task add');
    expect(await tasksOf(connectionId)).toEqual([]);
  });

  it('authenticates by the secret in the path (how HipChat signed BYO posts is unknown): a wrong secret is 404', async () => {
    const { roomId, commandPath } = await connectedRoom('BYO secret');
    const wrong = crypto.randomBytes(24).toString('base64url');
    for (const path of [`/byo/${wrong}/command`, '/byo/short/command']) {
      const res = await request(addon.url).post(path).send(commandBody(roomId, '/task add Sneaky'));
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('command_not_found');
    }
    const right = await request(addon.url).post(commandPath).send(commandBody(roomId, '/task add Legit'));
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ message: 'Added #1: Legit', message_format: 'html' });
    expect(await countRows(addon, 'tasks')).toBeGreaterThan(0);
  });

  it('refuses (403) a body naming another room than the URL\'s, and stores nothing', async () => {
    const { roomId, connectionId, commandPath } = await connectedRoom('BYO wrong room');
    const res = await request(addon.url).post(commandPath).send(commandBody(roomId + 1000, '/task add Elsewhere'));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('wrong_room');
    expect(await tasksOf(connectionId)).toEqual([]);
  });

  it('deletes the tasks (and the counter) when the room is disconnected', async () => {
    const { roomId, connectionId } = await connectedRoom('BYO disconnect');
    await say(roomId, '/task add Leaves with the connection');
    expect(await tasksOf(connectionId)).toHaveLength(1);
    await request(addon.url).delete(`/api/connections/${connectionId}`).set(admin).expect(204);
    expect(await tasksOf(connectionId)).toEqual([]);
    const counters = await addon.services.db.query('SELECT 1 FROM task_counters WHERE connection_id = $1', [connectionId]);
    expect(counters.rowCount).toBe(0);
  });

  it('keeps an installed room and the same room connected by token on separate lists', async () => {
    const { roomId, connectionId } = await connectedRoom('BYO and installed');
    const installation = await hipchat.install(`${addon.url}/atlassian-connect.json`);
    const jwt = hipchat.mintJwt(installation.oauthId, { userId: ada.id, roomId });
    await request(addon.url).post('/api/tasks').set('Authorization', `JWT ${jwt}`).send({ text: 'Installed only' }).expect(201);

    // One message reaches both: the installed add-on's webhook and the integration's slash command.
    const { webhooks } = await hipchat.postMessage(roomId, ada.id, '/task list');
    const replyOf = (target: 'addon' | 'integration') => webhooks.find((hook) => hook.target === target)?.reply?.message;
    expect(replyOf('addon')).toContain('Installed only');
    expect(replyOf('integration')).toBeDefined();
    expect(replyOf('integration')).not.toContain('Installed only');
    expect(await tasksOf(connectionId)).toEqual([]);

    // And the other way round: /task add from both lands once in each list, each numbered from 1.
    const both = await hipchat.postMessage(roomId, ada.id, '/task add Shared words');
    expect(both.webhooks.map((hook) => hook.reply?.message).sort()).toEqual(['Added #1: Shared words', 'Added #2: Shared words']);
    expect(await tasksOf(connectionId)).toEqual([{ number: 1, text: 'Shared words' }]);
    const installed = await request(addon.url).get('/api/tasks').set('Authorization', `JWT ${jwt}`).expect(200);
    expect(installed.body.tasks.map((task: { text: string }) => task.text)).toEqual(['Installed only', 'Shared words']);
  });
});
