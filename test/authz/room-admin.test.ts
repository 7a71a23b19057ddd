import request from 'supertest';
import type { Emulator, Installation, Room, User } from '../../src/emulator';
import { eventually } from '../helpers/eventually';
import { startTestAddon } from '../helpers/test-addon';
import type { RunningAddon } from '../../src/runtime';
import { startTestKit, type TestKit } from '../../src/testing';

/**
 * Who may configure: an attacker holding an ordinary member's JWT (HipChat gives one to every user
 * for the sidebar, glance and dialogs) must not change settings, get or revoke hook URLs, or touch
 * connections. The add-on asks HipChat (the emulator) who is a group admin and who owns a room.
 */
let kit: TestKit;
let hipchat: Emulator;
let addon: RunningAddon;
let global: Installation;
let ownRoom: Room; // owned by olive
let otherRoom: Room;
let ada: User; // group admin
let olive: User; // owner of ownRoom
let mia: User; // ordinary member

const jwt = (inst: Installation, user: User, room: Room) => ({
  Authorization: `JWT ${hipchat.mintJwt(inst.oauthId, { userId: user.id, roomId: room.id })}`,
});
const expectNotRoomAdmin = (res: request.Response) => {
  expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'not_room_admin' });
  expect(typeof res.body.error.message).toBe('string');
};
const settingsOf = async (inst: Installation) =>
  (await request(addon.url).get('/api/settings').set(jwt(inst, ada, ownRoom)).expect(200)).body as { color: string };
const notificationsIn = (room: Room) => hipchat.history(room.id).filter((item) => item.type === 'notification');

beforeAll(async () => {
  kit = await startTestKit({ env: { ADMIN_TOKEN: 'admin-token-for-authz-tests', ENCRYPTION_KEY: 'b'.repeat(64) } });
  ({ emulator: hipchat, addon } = kit);
  ada = hipchat.createUser({ name: 'Ada Admin', mention_name: 'ada', is_group_admin: true });
  olive = hipchat.createUser({ name: 'Olive Owner', mention_name: 'olive' });
  mia = hipchat.createUser({ name: 'Mia Member', mention_name: 'mia' });
  ownRoom = hipchat.createRoom({ name: 'Olive’s room', ownerId: olive.id });
  otherRoom = hipchat.createRoom('Elsewhere');
  global = await hipchat.install(`${addon.url}/atlassian-connect.json`);
});
afterAll(() => kit?.stop());

describe('an ordinary member (a sidebar or glance JWT)', () => {
  it('cannot change the Tasks settings (403 not_room_admin), and nothing changes', async () => {
    const res = await request(addon.url).put('/api/settings').set(jwt(global, mia, ownRoom)).send({ color: 'red', announceNewTasks: true });
    expectNotRoomAdmin(res);
    expect(await settingsOf(global)).toEqual({ color: 'yellow', announceNewTasks: false, remindOnEnter: false });
  });

  it('cannot create a hook for its own room', async () => {
    expectNotRoomAdmin(await request(addon.url).post('/api/hooks').set(jwt(global, mia, ownRoom)).send({ label: 'mine' }));
  });

  it("cannot list the hooks, nor revoke an admin's hook, which keeps working", async () => {
    const created = await request(addon.url).post('/api/hooks').set(jwt(global, ada, ownRoom)).send({ label: 'CI' }).expect(201);
    expectNotRoomAdmin(await request(addon.url).get('/api/hooks').set(jwt(global, mia, ownRoom)));
    expectNotRoomAdmin(await request(addon.url).delete(`/api/hooks/${created.body.hook.id}`).set(jwt(global, mia, ownRoom)));
    const post = await request(addon.url).post(new URL(created.body.url).pathname).send({ text: 'still alive' });
    expect(post.status).toBe(202);
    await eventually('the hook message', () => notificationsIn(ownRoom).some((item) => item.message === 'still alive'));
  });

  it('cannot connect a room, list connections, or disconnect one an admin made', async () => {
    const token = () => hipchat.createRoomNotificationToken(ownRoom.id);
    const body = () => ({ token: token(), hipchatUrl: hipchat.url, room: ownRoom.id });
    expectNotRoomAdmin(await request(addon.url).post('/api/connections').set(jwt(global, mia, ownRoom)).send(body()));
    const made = await request(addon.url).post('/api/connections').set(jwt(global, ada, ownRoom)).send(body()).expect(201);
    expectNotRoomAdmin(await request(addon.url).get('/api/connections').set(jwt(global, mia, ownRoom)));
    expectNotRoomAdmin(await request(addon.url).delete(`/api/connections/${made.body.connection.id}`).set(jwt(global, mia, ownRoom)));
    const listed = await request(addon.url).get('/api/connections').set(jwt(global, ada, ownRoom)).expect(200);
    expect(listed.body.connections.map((c: { id: string }) => c.id)).toContain(made.body.connection.id);
  });

  it('still uses Tasks: adds, completes and assigns tasks through /task and the sidebar API', async () => {
    await hipchat.postMessage(ownRoom.id, mia.id, '/task add Water the plants');
    await hipchat.waitForHistory(ownRoom.id, (item) => item.type === 'notification' && item.message.includes('Water the plants'));
    const created = await request(addon.url).post('/api/tasks').set(jwt(global, mia, ownRoom)).send({ text: 'From the sidebar' }).expect(201);
    await request(addon.url).patch(`/api/tasks/${created.body.task.number}`).set(jwt(global, mia, ownRoom)).send({ done: true, assignee: 'mia' }).expect(200);
    await request(addon.url).get('/api/settings').set(jwt(global, mia, ownRoom)).expect(200);
  });

  it('sees the configuration page read-only: settings shown but disabled, no hooks section', async () => {
    const res = await fetch(hipchat.signedUrl(global.oauthId, { kind: 'configurable', roomId: ownRoom.id, userId: mia.id }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('id="read-only-note"');
    expect(html).toContain('<fieldset disabled>');
    expect(html).toContain('data-read-only="true"');
    expect(html).not.toContain('<button type="submit">Save</button>');
    expect(html).not.toContain('id="new-hook"');
  });
});

describe('with a global installation, the room a hook posts into', () => {
  const hookFor = (user: User, roomId?: number) =>
    request(addon.url).post('/api/hooks').set(jwt(global, user, ownRoom)).send(roomId === undefined ? {} : { roomId });

  it('an ordinary member cannot get a hook URL for another room of the group', async () => {
    expectNotRoomAdmin(await hookFor(mia, otherRoom.id));
  });

  it("a room owner cannot get one for another room than the JWT's, only for their own", async () => {
    expectNotRoomAdmin(await hookFor(olive, otherRoom.id));
    const own = await hookFor(olive).expect(201);
    expect(own.body.hook.roomId).toBe(ownRoom.id);
    await hookFor(olive, ownRoom.id).expect(201);
  });

  it('a group admin can get one for any room of the group', async () => {
    const res = await hookFor(ada, otherRoom.id).expect(201);
    expect(res.body.hook).toMatchObject({ roomId: otherRoom.id, kind: 'installation' });
  });

  it("a room owner lists only their room's hooks and cannot revoke another room's", async () => {
    const elsewhere = await hookFor(ada, otherRoom.id).expect(201);
    const listed = await request(addon.url).get('/api/hooks').set(jwt(global, olive, ownRoom)).expect(200);
    const rooms = new Set(listed.body.hooks.map((hook: { roomId: number }) => hook.roomId));
    expect([...rooms]).toEqual([ownRoom.id]);
    expectNotRoomAdmin(await request(addon.url).delete(`/api/hooks/${elsewhere.body.hook.id}`).set(jwt(global, olive, ownRoom)));
    const all = await request(addon.url).get('/api/hooks').set(jwt(global, ada, ownRoom)).expect(200);
    expect(all.body.hooks.map((hook: { id: string }) => hook.id)).toContain(elsewhere.body.hook.id);
  });

  it("a room owner cannot change a global installation's settings, which apply to every room", async () => {
    expectNotRoomAdmin(await request(addon.url).put('/api/settings').set(jwt(global, olive, ownRoom)).send({ color: 'red' }));
    await request(addon.url).put('/api/settings').set(jwt(global, ada, ownRoom)).send({ color: 'green' }).expect(200);
    expect((await settingsOf(global)).color).toBe('green');
  });
});

describe('a room installation', () => {
  it('can be configured by the owner of its room: settings and hooks; not by a member', async () => {
    const roomInstall = await hipchat.install(`${addon.url}/atlassian-connect.json`, { roomId: ownRoom.id });
    await request(addon.url).put('/api/settings').set(jwt(roomInstall, olive, ownRoom)).send({ color: 'purple' }).expect(200);
    await request(addon.url).post('/api/hooks').set(jwt(roomInstall, olive, ownRoom)).send({ label: 'Deploys' }).expect(201);
    await request(addon.url).get('/api/hooks').set(jwt(roomInstall, olive, ownRoom)).expect(200);
    expectNotRoomAdmin(await request(addon.url).put('/api/settings').set(jwt(roomInstall, mia, ownRoom)).send({ color: 'red' }));
    const page = await (await fetch(hipchat.signedUrl(roomInstall.oauthId, { kind: 'configurable', roomId: ownRoom.id, userId: olive.id }))).text();
    expect(page).not.toContain('read-only-note');
    expect(page).toContain('<form id="new-hook">');
    await hipchat.uninstall(roomInstall.oauthId);
  });
});

describe("HipChat's answers", () => {
  it('identical look-ups in flight reach HipChat once, and the answer is cached', async () => {
    const grace = hipchat.createUser({ name: 'Grace', is_group_admin: true });
    const before = hipchat.stats().userLookups;
    const puts = Array.from({ length: 5 }, () =>
      request(addon.url).put('/api/settings').set(jwt(global, grace, ownRoom)).send({ color: 'gray' }),
    );
    for (const res of await Promise.all(puts)) expect(res.status).toBe(200);
    await request(addon.url).put('/api/settings').set(jwt(global, grace, ownRoom)).send({ color: 'gray' }).expect(200);
    expect(hipchat.stats().userLookups - before).toBe(1);
  });

  it('when HipChat cannot answer, a configuration change is refused (503 admin_check_unavailable), never allowed', async () => {
    const newcomer = hipchat.createUser({ name: 'Newcomer', is_group_admin: true });
    const before = await settingsOf(global);
    hipchat.setFailureMode('503');
    try {
      const res = await request(addon.url).put('/api/settings').set(jwt(global, newcomer, ownRoom)).send({ color: 'red' });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('admin_check_unavailable');
      expect(res.body.error.message).toMatch(/HipChat/);
      const hook = await request(addon.url).post('/api/hooks').set(jwt(global, newcomer, ownRoom)).send({});
      expect(hook.status).toBe(503);
      const page = await (await fetch(hipchat.signedUrl(global.oauthId, { kind: 'configurable', roomId: ownRoom.id, userId: newcomer.id }))).text();
      expect(page).toContain('id="read-only-note"');
      expect(page).not.toContain('id="new-hook"');
    } finally {
      hipchat.setFailureMode(null);
    }
    await hipchat.goOffline();
    try {
      const res = await request(addon.url).put('/api/settings').set(jwt(global, newcomer, ownRoom)).send({ color: 'red' });
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 503, code: 'admin_check_unavailable' });
    } finally {
      await hipchat.goOnline();
    }
    expect(await settingsOf(global)).toEqual(before);
    // Once HipChat answers again, the admin is let through: failures are never cached.
    await request(addon.url).put('/api/settings').set(jwt(global, newcomer, ownRoom)).send({ color: before.color }).expect(200);
  });

  it('an update of the installation drops its cached answers: a demoted admin is refused at once', async () => {
    const bob = hipchat.createUser({ name: 'Bob', is_group_admin: true });
    await request(addon.url).put('/api/settings').set(jwt(global, bob, ownRoom)).send({ color: 'gray' }).expect(200);
    hipchat.setGroupAdmin(bob.id, false);
    // Still believed: the answer is cached (60 s by default).
    await request(addon.url).put('/api/settings').set(jwt(global, bob, ownRoom)).send({ color: 'gray' }).expect(200);
    await hipchat.update(global.oauthId);
    await eventually('the cached answers to be dropped', () => addon.services.roomAdmins.cachedAnswers(global.oauthId) === 0);
    expectNotRoomAdmin(await request(addon.url).put('/api/settings').set(jwt(global, bob, ownRoom)).send({ color: 'gray' }));
  });

  it('an uninstall drops the cached answers', async () => {
    const inst = await hipchat.install(`${addon.url}/atlassian-connect.json`);
    await request(addon.url).put('/api/settings').set(jwt(inst, ada, ownRoom)).send({ color: 'gray' }).expect(200);
    expect(addon.services.roomAdmins.cachedAnswers(inst.oauthId)).toBeGreaterThan(0);
    await hipchat.uninstall(inst.oauthId);
    await eventually('the installation to be removed', async () => !(await addon.services.installations.get(inst.oauthId)));
    await eventually('its cached answers to be dropped', () => addon.services.roomAdmins.cachedAnswers(inst.oauthId) === 0);
  });
});

describe('a demoted admin', () => {
  it('loses access once the cache TTL has passed (ROOM_ADMIN_CACHE_SECONDS)', async () => {
    const quick = await startTestAddon({ ROOM_ADMIN_CACHE_SECONDS: '0.3,0.3' });
    try {
      const inst = await hipchat.install(`${quick.url}/atlassian-connect.json`);
      const carol = hipchat.createUser({ name: 'Carol', is_group_admin: true });
      const put = () => request(quick.url).put('/api/settings').set(jwt(inst, carol, ownRoom)).send({ color: 'red' });
      expect((await put()).status).toBe(200);
      hipchat.setGroupAdmin(carol.id, false);
      await eventually('the demotion to take effect', async () => (await put()).status === 403, 5000);
      expectNotRoomAdmin(await put());
      // And a promotion the same way.
      hipchat.setGroupAdmin(carol.id, true);
      await eventually('the promotion to take effect', async () => (await put()).status === 200, 5000);
      await hipchat.uninstall(inst.oauthId);
    } finally {
      await quick.destroy();
    }
  });
});

describe('an installation made before the descriptor asked for view_group', () => {
  it('keeps getting tokens (for the scopes it was granted), and configuring it is refused until it is updated in HipChat', async () => {
    const old = await hipchat.install(`${addon.url}/atlassian-connect.json`);
    const granted: Installation['scopes'] = ['send_notification', 'view_room'];
    (hipchat.installation(old.oauthId) as Installation).scopes = granted;
    const stored = await addon.services.installations.get(old.oauthId);
    await addon.services.installations.save({ ...stored!, scopes: granted });

    await hipchat.postMessage(otherRoom.id, mia.id, '/task add Still delivered');
    await eventually('the glance push with a token for the granted scopes', () => hipchat.getGlance(old.oauthId, otherRoom.id, 'tasks')?.source === 'push');

    const res = await request(addon.url).put('/api/settings').set(jwt(old, ada, ownRoom)).send({ color: 'red' });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 503, code: 'admin_check_unavailable' });
    expect(res.body.error.message).toMatch(/view_group.*update the add-on/);
    await hipchat.uninstall(old.oauthId);
  });
});
