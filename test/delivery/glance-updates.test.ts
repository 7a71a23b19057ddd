import type { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-database';
import type { Db } from '../../src/store/db';
import { glancesIn, install, messagesIn, openStack, room, startHipChat, waitFor } from './delivery-harness';

const glance = (value: string) => [{ key: 'tasks.glance', content: { label: { type: 'html' as const, value } } }];
/** Pending calls of one installation (each test has its own, so an earlier test's backlog is not counted). */
async function pendingFor(db: Db, oauthId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE oauth_id = $1 AND state = 'pending'`, [
    oauthId,
  ]);
  return Number(rows[0]?.n ?? 0);
}

const labelOf = (body: unknown) => (body as { glance: Array<{ content: { label: { value: string } } }> }).glance[0]?.content.label.value;

describe('glance updates: never behind messages, only the newest sent', () => {
  let database: TestDatabase;
  let hipchat: EmulatedHipChat;

  beforeAll(async () => {
    hipchat = await startHipChat();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await hipchat.close();
    await database.drop();
  });

  it("a steady hook cannot delay the room's glance update: it arrives while the hook's backlog still waits", async () => {
    // HipChat lets 2 messages a minute into a room; a hook has queued 12.
    const flood = { limit: 2, windowMs: 60_000 };
    const unlimited = hipchat.emulator.limits;
    hipchat.emulator.setLimits({ floodControl: flood });
    const stack = await openStack(database, { limits: { apiRateLimit: { limit: 10_000, windowMs: 300_000 }, roomFloodLimit: flood } });
    try {
      const { oauthId } = await install(hipchat, stack.installations);
      const target = room(oauthId, 5);
      for (let i = 1; i <= 12; i++) await stack.notifications.sendRoomNotification(target, { message: `hook ${i}` });
      await waitFor(() => messagesIn(hipchat, 5).length === 2, 8_000, "the room's allowance to be spent");

      await stack.notifications.updateRoomGlance(target, glance('<b>3</b> tasks'));
      await waitFor(() => glancesIn(hipchat, 5).length === 1, 8_000, 'the glance update');
      expect(labelOf(glancesIn(hipchat, 5)[0])).toBe('<b>3</b> tasks');
      expect(messagesIn(hipchat, 5)).toEqual(['hook 1', 'hook 2']); // the backlog still waits, in order
      expect(hipchat.tooManyRequests).toBe(0);
    } finally {
      hipchat.emulator.setLimits(unlimited);
      await stack.close();
    }
  }, 30_000);

  it('two glance updates queued for the same glance and room: HipChat receives only the newest', async () => {
    const stack = await openStack(database, { start: false });
    try {
      const { oauthId } = await install(hipchat, stack.installations);
      const older = await stack.notifications.updateRoomGlance(room(oauthId, 6), glance('<b>1</b> task'));
      const newer = await stack.notifications.updateRoomGlance(room(oauthId, 6), glance('<b>2</b> tasks'));
      await stack.task.start();
      await waitFor(async () => (await stack.notifications.getDelivery(newer.deliveryId))?.state === 'delivered');
      await waitFor(async () => (await pendingFor(stack.db, oauthId)) === 0);
      expect(glancesIn(hipchat, 6).map(labelOf)).toEqual(['<b>2</b> tasks']);
      expect(await stack.notifications.getDelivery(older.deliveryId)).toMatchObject({ state: 'superseded', deliveredAt: null });
    } finally {
      await stack.close();
    }
  });

  it('supersedes per glance and room only: other glances, other rooms and messages are all sent', async () => {
    const stack = await openStack(database, { start: false });
    try {
      const { oauthId } = await install(hipchat, stack.installations);
      await stack.notifications.sendRoomNotification(room(oauthId, 7), { message: 'kept 1' });
      await stack.notifications.updateRoomGlance(room(oauthId, 7), [
        { key: 'a', content: { label: { type: 'html', value: 'a1' } } },
        { key: 'b', content: { label: { type: 'html', value: 'b1' } } },
      ]);
      await stack.notifications.updateRoomGlance(room(oauthId, 8), [{ key: 'a', content: { label: { type: 'html', value: 'other room' } } }]);
      await stack.notifications.sendRoomNotification(room(oauthId, 7), { message: 'kept 2' });
      await stack.notifications.updateRoomGlance(room(oauthId, 7), [{ key: 'a', content: { label: { type: 'html', value: 'a2' } } }]);
      await stack.task.start();
      await waitFor(async () => (await pendingFor(stack.db, oauthId)) === 0);
      expect(messagesIn(hipchat, 7)).toEqual(['kept 1', 'kept 2']);
      // One call per glance key, so that each can be superseded on its own.
      const room7 = glancesIn(hipchat, 7) as Array<{ glance: Array<{ key: string; content: { label: { value: string } } }> }>;
      expect(room7.map((body) => body.glance.map((g) => `${g.key}=${g.content.label.value}`)).sort()).toEqual([['a=a2'], ['b=b1']]);
      expect(glancesIn(hipchat, 8).map(labelOf)).toEqual(['other room']);
    } finally {
      await stack.close();
    }
  });

  it('two workers, updates queued through both: HipChat never gets an older glance after a newer one, and ends on the newest', async () => {
    // On Postgres each worker has its own pool, as two processes would; PGlite shares one Db.
    const a = await openStack(database, { worker: { concurrency: 4 } });
    const b = await openStack(database, { worker: { concurrency: 4 }, db: onPostgres ? undefined : a.db });
    try {
      const { oauthId } = await install(hipchat, a.installations);
      for (let i = 1; i <= 20; i++) {
        await (i % 2 ? a : b).notifications.updateRoomGlance(room(oauthId, 10), glance(`v${i}`));
        if (i % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 30)); // let some go out meanwhile
      }
      await waitFor(async () => (await pendingFor(a.db, oauthId)) === 0, 10_000);
      const versions = glancesIn(hipchat, 10).map((body) => Number(labelOf(body)?.slice(1)));
      expect(versions[versions.length - 1]).toBe(20);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      expect(new Set(versions).size).toBe(versions.length);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('a glance update already claimed by a worker is not withdrawn: the newer one is sent after it', async () => {
    const stack = await openStack(database, { start: false, worker: { leaseMs: 60_000 } });
    try {
      const { oauthId } = await install(hipchat, stack.installations);
      const first = await stack.notifications.updateRoomGlance(room(oauthId, 9), glance('first'));
      const claimed = await stack.outbox.claim('another-instance', 10, 10, 60_000);
      expect(claimed.flat().map((item) => item.id)).toEqual([first.deliveryId]);
      const second = await stack.notifications.updateRoomGlance(room(oauthId, 9), glance('second'));
      expect(await stack.notifications.getDelivery(first.deliveryId)).toMatchObject({ state: 'pending' });
      // The other instance delivers its claim and lets go; then the newer update follows.
      await stack.outbox.markDelivered(first.deliveryId, 'another-instance');
      await stack.task.start();
      await waitFor(async () => (await stack.notifications.getDelivery(second.deliveryId))?.state === 'delivered');
    } finally {
      await stack.close();
    }
  });
});
