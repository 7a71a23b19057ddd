import { startEmulator, type Emulator, type Installation, type Room, type User } from '../../src/emulator';
import { callApi, requestToken, startFakeAddon, type FakeAddon } from './helpers/start-fake-addon';

/** What HipChat tells an add-on about users and rooms (protocol reference §13), and the knobs to change it. */
describe('emulator: group admins, room owners and their look-ups', () => {
  let emulator: Emulator;
  let addon: FakeAddon;
  let admin: User;
  let member: User;
  let room: Room;
  let global: Installation;
  let token: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    addon = await startFakeAddon();
    admin = emulator.createUser({ name: 'Ada Admin', mention_name: 'ada', is_group_admin: true });
    member = emulator.createUser({ name: 'Mia Member', mention_name: 'mia' });
    room = emulator.createRoom({ name: 'Owned', ownerId: member.id });
    addon.descriptor.capabilities.hipchatApiConsumer.scopes = ['send_notification', 'view_group', 'view_room'];
    global = await emulator.install(addon.descriptorUrl);
    token = (await requestToken(`${emulator.url}/v2/oauth/token`, global.oauthId, global.oauthSecret)).body.access_token;
  });
  afterAll(async () => {
    await emulator.close();
    await addon.close();
  });

  const api = (path: string, bearer = token) => callApi(`${emulator.url}/v2/${path}`, bearer, 'GET');

  it('GET /v2/user/{id_or_email} answers the user with is_group_admin (scope view_group), by id, email or @mention', async () => {
    const byId = await api(`user/${admin.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ id: admin.id, name: 'Ada Admin', mention_name: 'ada', is_group_admin: true, is_guest: false, is_deleted: false, timezone: 'UTC' });
    expect((await api(`user/${encodeURIComponent(member.email)}`)).body).toMatchObject({ id: member.id, is_group_admin: false });
    expect((await api('user/%40mia')).body).toMatchObject({ id: member.id });
    const unknown = await api('user/999999');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 404 });
  });

  it('GET /v2/room/{id} names the owner; a room without one answers owner null', async () => {
    expect((await api(`room/${room.id}`)).body).toMatchObject({ id: room.id, privacy: 'public', is_archived: false, owner: { id: member.id, name: 'Mia Member', mention_name: 'mia' } });
    const ownerless = emulator.createRoom('Ownerless');
    expect((await api(`room/${ownerless.id}`)).body.owner).toBeNull();
  });

  it('enforces the scopes: no view_group, no user look-up; neither view_room nor view_group, no room look-up', async () => {
    const narrow = emulator.createAccessToken(global.oauthId, ['send_notification']);
    const user = await api(`user/${admin.id}`, narrow);
    expect(user.status).toBe(403);
    expect(user.body.error.message).toMatch(/view_group/);
    expect((await api(`room/${room.id}`, narrow)).status).toBe(403);
    expect((await api(`user/${admin.id}`, emulator.createAccessToken(global.oauthId, ['view_room']))).status).toBe(403);
  });

  it("the control API promotes and demotes group admins and sets a room's owner", async () => {
    const control = `${emulator.url}/_emulator`;
    const promoted = await callApi(`${control}/users/${member.id}`, undefined, 'PUT', { is_group_admin: true });
    expect(promoted.body).toMatchObject({ id: member.id, is_group_admin: true });
    expect((await api(`user/${member.id}`)).body.is_group_admin).toBe(true);
    await callApi(`${control}/users/${member.id}`, undefined, 'PUT', { is_group_admin: false });
    expect((await api(`user/${member.id}`)).body.is_group_admin).toBe(false);
    expect((await callApi(`${control}/users/${member.id}`, undefined, 'PUT', { is_group_admin: 'yes' })).status).toBe(400);

    expect((await callApi(`${control}/rooms/${room.id}/owner`, undefined, 'PUT', { userId: admin.id })).body.ownerId).toBe(admin.id);
    expect((await api(`room/${room.id}`)).body.owner.id).toBe(admin.id);
    expect((await callApi(`${control}/rooms/${room.id}/owner`, undefined, 'PUT', { userId: null })).body.ownerId).toBeNull();
    expect((await callApi(`${control}/rooms/${room.id}/owner`, undefined, 'PUT', { userId: 424242 })).status).toBe(400);

    const created = await callApi(`${control}/users`, undefined, 'POST', { name: 'New Admin', is_group_admin: true });
    expect(created.body).toMatchObject({ name: 'New Admin', is_group_admin: true });
    const owned = await callApi(`${control}/rooms`, undefined, 'POST', { name: 'Mine', ownerId: created.body.id });
    expect(owned.body.ownerId).toBe(created.body.id);
  });

  it('seeds a group admin, a room owner and an ordinary member when asked', async () => {
    const seeded = await startEmulator({
      seed: { rooms: [{ name: 'Demo', owner: 'olive' }], users: [{ name: 'Boss', mention_name: 'boss', is_group_admin: true }, { name: 'Olive', mention_name: 'olive' }, { name: 'Mia', mention_name: 'mia' }] },
    });
    try {
      const [boss, olive, mia] = seeded.users();
      expect([boss?.is_group_admin, olive?.is_group_admin, mia?.is_group_admin]).toEqual([true, false, false]);
      expect(seeded.rooms()[0]?.ownerId).toBe(olive?.id);
    } finally {
      await seeded.close();
    }
  });
});
