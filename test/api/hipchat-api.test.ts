import { startEmulator, type Emulator, type Room, type User } from '../../src/emulator';
import { HipChatApi } from '../../src/hipchat/api/hipchat-api';
import type { Installation } from '../../src/hipchat/installations/installation';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';

describe('HipChatApi: the REST API as one installation', () => {
  let emulator: Emulator;
  let addon: TestAddon;
  let room: Room;
  let ada: User;
  let api: HipChatApi;
  let oauthId: string;

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1' });
    room = emulator.createRoom('Dev');
    ada = emulator.createUser({ name: 'Ada Lovelace', mention_name: 'ada' });
    addon = await startTestAddon({ HIPCHAT_ALLOWED_HOSTS: '127.0.0.1' });
    ({ oauthId } = await emulator.install(`${addon.url}/atlassian-connect.json`));
    const installation = (await addon.services.installations.get(oauthId)) as Installation;
    api = new HipChatApi(addon.services.hipchat, addon.services.tokens, installation);
  });
  afterAll(async () => {
    await addon?.destroy();
    await emulator?.close();
  });

  it('looks up a room and a user with the installation token', async () => {
    expect(await api.getRoom(room.id)).toMatchObject({ id: room.id, name: 'Dev' });
    expect(await api.getUser(ada.id)).toMatchObject({ id: ada.id, name: 'Ada Lovelace' });
  });

  it('answers a refusal by HipChat with 502 naming the call', async () => {
    await expect(api.getRoom(999_999)).rejects.toMatchObject({ status: 502, code: 'hipchat_refused', message: expect.stringContaining('GET room/999999') });
  });

  // HipChat's v2 reference: room message 1–1000, private message and notification 1–10000, topic 1–250.
  it.each([
    ['a room message over 1000 characters', () => api.sendRoomMessage(room.id, 'x'.repeat(1001)), /^message: must be 1–1000/],
    ['an empty room message', () => api.sendRoomMessage(room.id, ''), /^message: must be 1–1000/],
    ['a private message over 10000 characters', () => api.sendPrivateMessage(ada.id, 'x'.repeat(10_001)), /^message: must be 1–10000/],
    ['a topic over 250 characters', () => api.setRoomTopic(room.id, 't'.repeat(251)), /^topic: must be 1–250/],
    ['a user glance with a bad key', () => api.updateUserGlance(ada.id, [{ key: 'no spaces', content: { label: { type: 'html', value: 'x' } } }]), /^0\.key/],
  ])('refuses %s before calling HipChat (400 naming the field)', async (_what, call, message) => {
    const before = emulator.stats();
    await expect(call()).rejects.toMatchObject({ status: 400, message: expect.stringMatching(message) });
    expect(emulator.stats()).toEqual(before);
  });

  // The built-in add-on asks send_message (Tasks' reminders) but not admin_room (the topic).
  it('passes a valid room message of exactly 1000 characters on, and reports HipChat refusing a call for a scope the add-on did not ask (admin_room)', async () => {
    await api.sendRoomMessage(room.id, 'y'.repeat(1000));
    expect(emulator.history(room.id).some((item) => item.message === 'y'.repeat(1000))).toBe(true);
    await expect(api.setRoomTopic(room.id, 'New topic')).rejects.toMatchObject({
      status: 502,
      message: expect.stringContaining('admin_room'),
    });
  });

  it('sends a private message and a user glance that HipChat shows to that user only', async () => {
    await api.sendPrivateMessage(ada.id, 'You have 2 open tasks in Dev');
    expect(emulator.privateChat(ada.id)).toContainEqual(expect.objectContaining({ message: 'You have 2 open tasks in Dev' }));
    await api.updateUserGlance(ada.id, [{ key: 'tasks', content: { label: { type: 'html', value: '<b>2</b> yours' } } }]);
    expect(emulator.userGlance(oauthId, ada.id, 'tasks')).toMatchObject({ content: { label: { type: 'html', value: '<b>2</b> yours' } } });
  });
});
