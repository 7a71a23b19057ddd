import { startEmulator, type Emulator, type Room, type User } from '../../src/emulator';
import { eventually } from '../helpers/eventually';
import { postSlashCommand } from '../helpers/post-slash-command';
import { spawnAddon, type SpawnedAddon } from '../helpers/spawn-addon';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-database';

/** A /task command signed by the emulator for `user`, posted straight to one instance. */
function slashCommand(emulator: Emulator, addon: SpawnedAddon, oauthId: string, room: Room, user: User, text: string) {
  return postSlashCommand(addon.url, emulator.mintJwt(oauthId, { userId: user.id, roomId: room.id }), oauthId, room, user, text);
}

function announcedNumbers(emulator: Emulator, room: Room): number[] {
  return emulator
    .history(room.id)
    .map((item) => /New task #(\d+)/.exec(item.message)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
}

// PGlite is an in-process database: only one process can open it, so several instances need Postgres.
(onPostgres ? describe : describe.skip)('two add-on processes on one Postgres behave as one (Postgres only)', () => {
  let database: TestDatabase;
  let emulator: Emulator;
  let room: Room;
  let ada: User;
  let a: SpawnedAddon;
  let b: SpawnedAddon;
  let oauthId: string;
  /** Token requests once installed (the install's proof of credentials), before any API call. */
  let tokensAtInstall: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    emulator = await startEmulator();
    room = emulator.createRoom('Ops');
    // Ada turns announcements on, which takes a room admin: HipChat says she is a group admin.
    ada = emulator.createUser({ name: 'Ada', mention_name: 'ada', is_group_admin: true });
    [a, b] = await Promise.all([
      spawnAddon(database, { OUTBOX_LEASE_SECONDS: '2' }),
      spawnAddon(database, { OUTBOX_LEASE_SECONDS: '2' }),
    ]);
    oauthId = (await emulator.install(`${a.url}/atlassian-connect.json`, { roomId: room.id })).oauthId;
    tokensAtInstall = emulator.stats().tokenRequests[oauthId] ?? 0;
    const settings = await fetch(`${a.url}/api/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `JWT ${emulator.mintJwt(oauthId, { userId: ada.id, roomId: room.id })}` },
      body: JSON.stringify({ announceNewTasks: true }),
    });
    expect(settings.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
    await emulator?.close();
    await database?.drop();
  });

  it('an install seen by one instance is valid at the other at once', async () => {
    const res = await slashCommand(emulator, b, oauthId, room, ada, '/task list');
    expect(res.status).toBe(200);
    expect((await res.json()).message).toContain('No open tasks');
  });

  it('shares one access token and delivers each outbox item once, whichever instance queued it', async () => {
    for (let i = 1; i <= 20; i++) {
      const res = await slashCommand(emulator, i % 2 ? a : b, oauthId, room, ada, `/task add Item ${i}`);
      expect(res.status).toBe(200);
    }
    await eventually('20 announcements', () => announcedNumbers(emulator, room).length >= 20, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for any duplicate to show up
    const numbers = announcedNumbers(emulator, room);
    expect(numbers.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // One token, shared: asking HipChat whether Ada is an admin (instance a) and every delivery used it.
    expect((emulator.stats().tokenRequests[oauthId] ?? 0) - tokensAtInstall).toBe(1);
  }, 30_000);

  it('an instance killed mid-delivery leaves its work to the other after the lease', async () => {
    // Slow the room down so deliveries are still pending when the killing happens.
    emulator.setLimits({ floodControl: { limit: 2, windowMs: 1000 } });
    await b.stop('SIGTERM');
    for (let i = 21; i <= 28; i++) {
      expect((await slashCommand(emulator, a, oauthId, room, ada, `/task add Item ${i}`)).status).toBe(200);
    }
    await eventually('delivery to have started', () => announcedNumbers(emulator, room).some((n) => n > 20), 10_000);
    b = await spawnAddon(database, { OUTBOX_LEASE_SECONDS: '2' });
    await a.stop('SIGKILL');
    expect(announcedNumbers(emulator, room).filter((n) => n > 20).length).toBeLessThan(8);

    await eventually('the survivor to deliver the rest', () => new Set(announcedNumbers(emulator, room)).size >= 28, 30_000);
    const late = announcedNumbers(emulator, room).filter((n) => n > 20);
    expect([...new Set(late)].sort((x, y) => x - y)).toEqual([21, 22, 23, 24, 25, 26, 27, 28]);
    // Delivery is at least once: an item whose HTTP call was cut by the kill may arrive twice, never more.
    expect(late.length).toBeLessThanOrEqual(9);
    // Bring the first instance back where HipChat knows it (its URL is in the installation's descriptor).
    a = await spawnAddon(database, { OUTBOX_LEASE_SECONDS: '2' }, a.port);
  }, 60_000);

  it("a room's open list and glance, cached at one instance, show the other instance's changes within a second", async () => {
    emulator.setLimits({ floodControl: { limit: 30, windowMs: 60_000 } });
    const listAt = async (addon: SpawnedAddon) => (await (await slashCommand(emulator, addon, oauthId, room, ada, '/task list')).json()).message as string;
    const glanceAt = async (addon: SpawnedAddon) => {
      const jwt = emulator.mintJwt(oauthId, { userId: ada.id, roomId: room.id });
      return (await (await fetch(`${addon.url}/glance/tasks?signed_request=${jwt}`)).json()).metadata.openCount as number;
    };
    await listAt(b);
    const openBefore = await glanceAt(b); // both now cached at b

    expect((await slashCommand(emulator, a, oauthId, room, ada, '/task add Cached elsewhere')).status).toBe(200);
    await eventually('b to list the new task', async () => (await listAt(b)).includes('Cached elsewhere'), 1000);
    expect(await glanceAt(b)).toBe(openBefore + 1);

    const number = /#(\d+)[^#]*Cached elsewhere/.exec(await listAt(b))![1];
    expect((await slashCommand(emulator, a, oauthId, room, ada, `/task done ${number}`)).status).toBe(200);
    await eventually('b to drop the finished task', async () => !(await listAt(b)).includes('Cached elsewhere'), 1000);
    expect(await glanceAt(b)).toBe(openBefore);
  });

  it('an uninstall through one instance is refused by the other within a second', async () => {
    emulator.setLimits({ floodControl: { limit: 30, windowMs: 60_000 } });
    const jwt = emulator.mintJwt(oauthId, { userId: ada.id, roomId: room.id });
    expect((await fetch(`${b.url}/glance/tasks?signed_request=${jwt}`)).status).toBe(200);
    await emulator.uninstall(oauthId);
    const started = Date.now();
    await eventually(
      'the other instance to refuse the uninstalled installation',
      async () => (await fetch(`${b.url}/glance/tasks?signed_request=${jwt}`)).status === 401,
      1000,
    );
    expect(Date.now() - started).toBeLessThanOrEqual(1000);
  });
});
