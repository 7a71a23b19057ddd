import { startEmulator, type Emulator, type Installation, type User } from '../../src/emulator';
import { callApi, requestToken, startFakeAddon, type FakeAddon } from './helpers/start-fake-addon';

describe('emulator private messages (POST /v2/user/{id_or_email}/message) and user glances (POST /v2/addon/ui/user/{id})', () => {
  let emulator: Emulator;
  let addon: FakeAddon;
  let ada: User;
  let installation: Installation;
  let token: string;
  let notifyOnly: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    addon = await startFakeAddon();
    emulator.createRoom('Room');
    ada = emulator.createUser({ name: 'Ada Lovelace', mention_name: 'ada' });
    addon.descriptor.capabilities.hipchatApiConsumer.scopes = ['send_notification', 'send_message'];
    installation = await emulator.install(addon.descriptorUrl);
    const tokenUrl = `${emulator.url}/v2/oauth/token`;
    token = (await requestToken(tokenUrl, installation.oauthId, installation.oauthSecret)).body.access_token;
    notifyOnly = (await requestToken(tokenUrl, installation.oauthId, installation.oauthSecret, 'send_notification')).body.access_token;
  });
  afterAll(async () => {
    await emulator.close();
    await addon.close();
  });

  const sendPrivate = (user: string | number, body: unknown, bearer = token) => callApi(`${emulator.url}/v2/user/${user}/message`, bearer, 'POST', body);

  it('answers 204 and leaves the message in the user\'s private chat, from the add-on, text by default', async () => {
    const result = await sendPrivate(ada.id, { message: 'You have 2 open tasks' });
    expect(result.status).toBe(204);
    expect(emulator.privateChat(ada.id)).toEqual([
      expect.objectContaining({ userId: ada.id, message: 'You have 2 open tasks', message_format: 'text', notify: false, from: expect.objectContaining({ kind: 'addon', label: 'Fake', oauthId: installation.oauthId }) }),
    ]);
    const control = await callApi(`${emulator.url}/_emulator/users/${ada.id}/private-chat`, undefined, 'GET');
    expect(control.body).toEqual(emulator.privateChat(ada.id));
  });

  it('finds the user by email or @mention, and accepts html, notify and 10000 characters', async () => {
    expect((await sendPrivate(encodeURIComponent(ada.email), { message: '<b>by email</b>', message_format: 'html', notify: true })).status).toBe(204);
    expect((await sendPrivate('@ada', { message: 'x'.repeat(10_000) })).status).toBe(204);
    expect(emulator.privateChat(ada.id).at(-2)).toMatchObject({ message: '<b>by email</b>', message_format: 'html', notify: true });
  });

  it.each([
    ['message', {}],
    ['message', { message: '' }],
    ['message', { message: 'x'.repeat(10_001) }],
    ['message_format', { message: 'm', message_format: 'markdown' }],
    ['notify', { message: 'm', notify: 'yes' }],
  ])('refuses a bad %s with 400 naming the field and stores nothing', async (field, body) => {
    const before = emulator.privateChat(ada.id).length;
    const result = await sendPrivate(ada.id, body);
    expect(result.status).toBe(400);
    expect(result.body.error.message).toMatch(new RegExp(`^${field}:`));
    expect(emulator.privateChat(ada.id)).toHaveLength(before);
  });

  it('needs send_message (403), a token (401), and a user of the token\'s group (404)', async () => {
    expect((await sendPrivate(ada.id, { message: 'm' }, notifyOnly)).status).toBe(403);
    expect((await callApi(`${emulator.url}/v2/user/${ada.id}/message`, undefined, 'POST', { message: 'm' })).status).toBe(401);
    expect((await sendPrivate(999_999, { message: 'm' })).status).toBe(404);
  });

  it('a user glance update is stored for that user only, with declared keys and valid content', async () => {
    const push = (user: number | string, body: unknown, bearer = token) => callApi(`${emulator.url}/v2/addon/ui/user/${user}`, bearer, 'POST', body);
    const content = { label: { type: 'html', value: '<b>2</b> mine' }, metadata: { mine: 2 } };
    expect((await push(ada.id, { glance: [{ key: 'tasks', content }] })).status).toBe(204);
    expect(emulator.userGlance(installation.oauthId, ada.id, 'tasks')).toMatchObject({ userId: ada.id, key: 'tasks', content });
    expect((await push(ada.id, { glance: [{ key: 'undeclared', content }] })).status).toBe(400);
    expect((await push(ada.id, { glance: [{ key: 'tasks', content: { label: 'plain' } }] })).status).toBe(400);
    expect((await push(999_999, { glance: [{ key: 'tasks', content }] })).status).toBe(404);
    const roomToken = emulator.createRoomNotificationToken(emulator.rooms()[0]!.id);
    expect((await push(ada.id, { glance: [{ key: 'tasks', content }] }, roomToken)).status).toBe(403);
  });
});
