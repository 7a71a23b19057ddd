import { startEmulator, type Emulator, type Installation, type Room } from '../../src/emulator';
import { callApi, startFakeAddon, type FakeAddon } from './helpers/start-fake-addon';

// The limits the add-on side (src/hipchat/api) enforces too: room message 1–1000, notification and
// private message 1–10000 (HipChat's API reference). And what the web client is told to draw.
describe('emulator message limits and the web client\'s view of modules', () => {
  let emulator: Emulator;
  let addon: FakeAddon;
  let room: Room;
  let installation: Installation;
  let token: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    addon = await startFakeAddon();
    room = emulator.createRoom('Limits');
    addon.descriptor.capabilities.hipchatApiConsumer.scopes = ['send_notification', 'send_message'];
    addon.descriptor.capabilities.glance[0].conditions = [{ condition: 'glance_matches', params: { metadata: [{ attr: 'isConfigured', eq: true }] } }];
    addon.descriptor.capabilities.webPanel[0].conditions = [{ condition: 'room_is_public' }];
    addon.descriptor.capabilities.action = [
      { key: 'input', name: { value: 'Add as task' }, target: 'create', location: 'hipchat.input.action', conditions: [{ type: 'or', conditions: [{ condition: 'user_is_admin' }, { condition: 'user_is_room_owner' }] }] },
    ];
    addon.descriptor.capabilities.externalPage = [{ key: 'report', name: { value: 'Report' }, url: `${addon.url}/report` }];
    addon.descriptor.capabilities.adminPage = { url: `${addon.url}/admin` };
    installation = await emulator.install(addon.descriptorUrl);
    token = emulator.createAccessToken(installation.oauthId);
  });
  afterAll(async () => {
    await emulator.close();
    await addon.close();
  });

  it.each([
    ['room message', 'message', 1000, 201],
    ['room message', 'message', 1001, 400],
    ['room message', 'message', 0, 400],
    ['notification', 'notification', 10_000, 204],
    ['notification', 'notification', 10_001, 400],
  ])('%s (/%s) of %i characters answers %i', async (_what, endpoint, length, status) => {
    const result = await callApi(`${emulator.url}/v2/room/${room.id}/${endpoint}`, token, 'POST', { message: 'x'.repeat(length) });
    expect(result.status).toBe(status);
  });

  it('the web state carries conditions of glances, web panels and actions, external pages, the admin page and user glances', async () => {
    const content = { label: { type: 'html', value: 'mine' } };
    const user = emulator.createUser('Ada');
    expect((await callApi(`${emulator.url}/v2/addon/ui/user/${user.id}`, token, 'POST', { glance: [{ key: 'tasks', content }] })).status).toBe(204);
    const state = await callApi(`${emulator.url}/web/api/state`, undefined, 'GET');
    const view = state.body.installations[0];
    expect(view.glances[0].conditions).toEqual([{ condition: 'glance_matches', params: { metadata: [{ attr: 'isConfigured', eq: true }] } }]);
    expect(view.webPanels[0].conditions).toEqual([{ condition: 'room_is_public' }]);
    expect(view.actions[0]).toMatchObject({ key: 'input', location: 'hipchat.input.action', conditions: [{ type: 'or' }] });
    expect(view.externalPages).toEqual([{ key: 'report', name: 'Report' }]);
    expect(view.adminPage).toBe(true);
    expect(view).not.toHaveProperty('oauthSecret');
    expect(state.body.userGlances).toEqual([expect.objectContaining({ oauthId: installation.oauthId, userId: user.id, key: 'tasks', content })]);
  });

  it('signs the admin page and external pages like every page', async () => {
    const userId = emulator.createUser('Signer').id;
    const admin = await callApi(`${emulator.url}/_emulator/installations/${installation.oauthId}/signed-url`, undefined, 'POST', { kind: 'adminPage', roomId: room.id, userId });
    expect(admin.body.url).toMatch(new RegExp(`^${addon.url}/admin\\?signed_request=`));
    const page = await callApi(`${emulator.url}/_emulator/installations/${installation.oauthId}/signed-url`, undefined, 'POST', { kind: 'externalPage', key: 'report', roomId: room.id, userId });
    expect(page.body.url).toMatch(new RegExp(`^${addon.url}/report\\?signed_request=`));
  });
});
