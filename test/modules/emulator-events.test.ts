import { startEmulator, type Emulator, type Room, type User } from '../../src/emulator';
import { defineModule, type AddonModule } from '../../src/hipchat/modules/addon-module';
import type { EventContext } from '../../src/hipchat/modules/handler-context';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';

/** The events the emulator sends today, received by the listener layer with the payloads it sends. */
describe('events from the HipChat emulator reach module handlers', () => {
  const seen: Array<{ event: string; user: string | undefined; room: number; topic?: string; text?: string }> = [];
  const record = async (ctx: EventContext) => {
    const item = ctx.payload.item as { topic?: string; message?: { message: string } };
    seen.push({ event: ctx.event, user: ctx.user?.id, room: ctx.room.id, ...(item.topic ? { topic: item.topic } : {}), ...(item.message ? { text: item.message.message } : {}) });
  };
  const listening = defineModule({
    key: 'listening',
    setup: () => ({ events: { room_enter: record, room_exit: record, room_topic_change: record, room_message: record } }),
  });
  let emulator: Emulator;
  let addon: TestAddon;
  let room: Room;
  let ada: User;

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1' });
    room = emulator.createRoom('Dev');
    ada = emulator.createUser({ name: 'Ada Lovelace', mention_name: 'ada' });
    addon = await startTestAddon({ HIPCHAT_ALLOWED_HOSTS: '127.0.0.1' }, undefined, (): AddonModule[] => [listening]);
    await emulator.install(`${addon.url}/atlassian-connect.json`);
  });
  afterAll(async () => {
    await addon?.destroy();
    await emulator?.close();
  });

  it('room_enter, room_topic_change, room_message and room_exit, each answered 204', async () => {
    const results = [
      ...(await emulator.enterRoom(room.id, ada.id)),
      ...(await emulator.setTopic(room.id, ada.id, 'Release day')),
      ...(await emulator.postMessage(room.id, ada.id, 'hello everyone')).webhooks,
      ...(await emulator.exitRoom(room.id, ada.id)),
    ];
    expect(results.map((result) => result.status)).toEqual([204, 204, 204, 204]);
    const user = String(ada.id);
    expect(seen).toEqual([
      { event: 'room_enter', user, room: room.id },
      { event: 'room_topic_change', user, room: room.id, topic: 'Release day' },
      { event: 'room_message', user, room: room.id, text: 'hello everyone' },
      { event: 'room_exit', user, room: room.id },
    ]);
  });
});
