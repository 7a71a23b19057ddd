import request from 'supertest';
import { startEmulator, type Emulator } from '../../src/emulator';
import type { RoomNotification } from '../../src/hipchat/api/hipchat-messages';
import type { CommandScope, CommandSender } from '../../src/hipchat/commands/command-handler';
import { defineModule, type AddonModule } from '../../src/hipchat/modules/addon-module';
import { builtinModules } from '../../src/builtin-modules';
import { commandsNotAvailable } from '../../src/gateway/byo/commands-not-available';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';
import { ADMIN_TOKEN, connectWithToken, ENCRYPTION_KEY, pathOf } from './gateway-fixtures';

let hipchat: Emulator;
let addon: TestAddon;
let roomId: number;
let connectionId: string;
let commandUrl: string;

beforeAll(async () => {
  hipchat = await startEmulator();
  roomId = hipchat.createRoom('Chores').id;
  addon = await startTestAddon({ ADMIN_TOKEN, ENCRYPTION_KEY });
  const connected = await connectWithToken(addon, {
    token: hipchat.createRoomNotificationToken(roomId),
    hipchatUrl: hipchat.url,
    room: roomId,
  });
  connectionId = connected.connection.id;
  commandUrl = connected.commandUrl;
});

afterAll(async () => {
  await addon?.destroy();
  await hipchat?.close();
});

function roomMessage(text: string, room = roomId) {
  return {
    event: 'room_message',
    item: {
      message: { id: 'm1', date: new Date().toISOString(), from: { id: 7, name: 'Ada', mention_name: 'ada' }, message: text, type: 'message', mentions: [] },
      room: { id: room, name: 'Chores' },
    },
    oauth_client_id: 'integration',
    webhook_id: 1,
  };
}

describe('the build-your-own slash command URL', () => {
  it('is stored only as a hash', async () => {
    const secret = pathOf(commandUrl).split('/')[2] as string;
    const { rows } = await addon.services.db.query('SELECT * FROM gateway_connections');
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('requires the secret in the path, since how HipChat signed BYO posts is undocumented: a wrong secret is 404', async () => {
    const wrong = await request(addon.url).post('/byo/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/command').send(roomMessage('/task list'));
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.code).toBe('command_not_found');
    expect((await request(addon.url).post('/byo/short/command').send(roomMessage('/task list'))).status).toBe(404);
  });

  it('answers the right secret with a notification JSON body', async () => {
    const res = await request(addon.url).post(pathOf(commandUrl)).send(roomMessage('/task list'));
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(typeof res.body.message).toBe('string');
    expect(res.body.message.length).toBeGreaterThan(0);
  });

  it('refuses a payload that is not a room_message webhook (400 naming the field) and another room (403)', async () => {
    const bad = await request(addon.url).post(pathOf(commandUrl)).send({ event: 'room_message', item: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^item\.message/);
    const other = await request(addon.url).post(pathOf(commandUrl)).send(roomMessage('/task list', roomId + 1000));
    expect(other.status).toBe(403);
  });

  it('hands the registered handler the connection scope, the text and the sender', async () => {
    const calls: Array<{ scope: CommandScope; text: string; sender: CommandSender }> = [];
    // Any module's command runs here: a recording module stands in for Tasks' /task.
    const recording = defineModule({
      key: 'recording',
      setup: () => ({
        commands: {
          '/task': async (ctx): Promise<RoomNotification> => {
            const sender = { id: Number(ctx.user?.id), name: ctx.user?.name ?? '', mentionName: ctx.user?.mentionName ?? '' };
            calls.push({ scope: ctx.target, text: ctx.text, sender });
            return { message: `ran ${ctx.text}`, message_format: 'text', color: 'purple' };
          },
        },
      }),
    });
    // The same database, port and command URL; only the modules differ (the gateway and the recorder).
    await addon.stop();
    const sameAddress = { PORT: String(addon.port), BASE_URL: `http://127.0.0.1:${addon.port}` };
    addon = await startTestAddon({ ADMIN_TOKEN, ENCRYPTION_KEY, ...sameAddress }, addon.database, (config) => [
      builtinModules(config)[0] as AddonModule,
      recording,
    ]);
    {
      const res = await request(addon.url).post(pathOf(commandUrl)).send(roomMessage('/task add Milk'));
      expect(res.body).toEqual({ message: 'ran /task add Milk', message_format: 'text', color: 'purple' });
      expect(calls).toEqual([
        { scope: { kind: 'room_token', connectionId, roomId }, text: '/task add Milk', sender: { id: 7, name: 'Ada', mentionName: 'ada' } },
      ]);

      // End to end: HipChat posts the slash command to the URL and shows the JSON answer in the room.
      hipchat.createBuildYourOwnIntegration(roomId, { name: 'Tasks', slashCommand: { command: '/task', url: commandUrl } });
      const user = hipchat.createUser({ name: 'Grace', mention_name: 'grace' });
      const { webhooks } = await hipchat.postMessage(roomId, user.id, '/task list');
      expect(webhooks).toHaveLength(1);
      expect(webhooks[0]).toMatchObject({ target: 'integration', status: 200 });
      expect(webhooks[0]?.reply).toMatchObject({ type: 'notification', message: 'ran /task list', color: 'purple' });
    }
  });
});

describe('without a command handler', () => {
  it('answers that commands are not available (rather than failing)', async () => {
    const reply = await commandsNotAvailable.handle({ kind: 'room_token', connectionId: 'c', roomId: 1 }, '/task list', {
      id: 1,
      name: 'A',
      mentionName: 'a',
    });
    expect(reply).toMatchObject({ message: '/task is not available in rooms connected with a notification token yet.', color: 'gray' });
  });
});
