import request from 'supertest';
import { startEmulator, type Emulator } from '../../src/emulator';
import { builtinModules } from '../../src/builtin-modules';
import { standupModule } from '../../src/examples/standup/standup-module';
import { defineModule, type AddonModule } from '../../src/hipchat/modules/addon-module';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';
import { ADMIN_TOKEN, connectWithToken, ENCRYPTION_KEY, pathOf } from '../gateway/gateway-fixtures';

const glancing = defineModule({
  key: 'glancing',
  setup: () => ({
    commands: {
      '/glancing': async (ctx) => {
        await ctx.glance.push('g', { label: { type: 'html', value: 'x' } });
        return 'pushed';
      },
      '/hello': (ctx) => `hello ${ctx.user?.name} in room ${ctx.room.id}`,
    },
  }),
});

let hipchat: Emulator;
let addon: TestAddon;
let commandUrl: string;
let roomId: number;

beforeAll(async () => {
  hipchat = await startEmulator();
  roomId = hipchat.createRoom('Chores').id;
  addon = await startTestAddon({ ADMIN_TOKEN, ENCRYPTION_KEY }, undefined, (config): AddonModule[] => [
    builtinModules(config)[0] as AddonModule, // the gateway
    standupModule(),
    glancing,
  ]);
  const connected = await connectWithToken(addon, { token: hipchat.createRoomNotificationToken(roomId), hipchatUrl: hipchat.url, room: roomId });
  commandUrl = connected.commandUrl;
});
afterAll(async () => {
  await addon?.destroy();
  await hipchat?.close();
});

const say = (text: string) =>
  request(addon.url)
    .post(pathOf(commandUrl))
    .send({
      event: 'room_message',
      item: { message: { from: { id: 7, name: 'Ada', mention_name: 'ada' }, message: text }, room: { id: roomId } },
      oauth_client_id: 'integration',
    });

describe('rooms connected with a notification token run every module\'s commands', () => {
  it('a command that needs nothing they lack just runs', async () => {
    expect((await say('/hello')).body).toEqual({ message: `hello Ada in room ${roomId}`, message_format: 'text' });
  });

  it('a command that needs what they lack says so in the room (an installation, a glance)', async () => {
    const standup = await say('/standup Shipped it');
    expect(standup.status).toBe(200);
    expect(standup.body.message).toBe(
      '/standup needs an installation to keep the updates under, which rooms connected with a notification token do not have. Install the add-on in this room to use it.',
    );
    expect((await say('/glancing')).body.message).toMatch(/^\/glancing needs a glance, which rooms connected/);
  });

  it('a command no module has is answered politely', async () => {
    expect((await say('/nothing here')).body.message).toBe('/nothing is not available in rooms connected with a notification token yet.');
  });
});
