import type { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-database';
import { install, messagesIn, openStack, pendingCount, room, startHipChat, waitFor } from './delivery-harness';

describe('outbox across restarts and instances', () => {
  let database: TestDatabase;
  let hipchat: EmulatedHipChat;
  /** HipChat answers every REST call only after `ms` (0: at once). */
  const slowDown = (ms: number) => {
    hipchat.reset();
    if (ms > 0) hipchat.faults.add({ target: 'api', fault: { kind: 'delay', ms } });
  };

  beforeAll(async () => {
    hipchat = await startHipChat();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await hipchat.close();
    await database.drop();
  });

  it('pending work survives a stop and is delivered, in order, by the next instance', async () => {
    const first = await openStack(database);
    const { oauthId } = await install(hipchat, first.installations);
    await hipchat.goOffline();
    const retried: string[] = [];
    first.events.on('retried', (event) => retried.push(event.id));
    for (let i = 0; i < 5; i++) await first.notifications.sendRoomNotification(room(oauthId, 1), { message: `r${i}` });
    await waitFor(() => retried.length > 0, 8_000, 'a failed attempt');
    await first.close();
    await hipchat.goOnline();

    const second = await openStack(database);
    try {
      await waitFor(async () => (await pendingCount(second.db)) === 0);
      expect(messagesIn(hipchat, 1)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    } finally {
      await second.close();
    }
  });

  it('takes over the claims of an instance that died once their lease runs out', async () => {
    const stack = await openStack(database, { start: false, worker: { leaseMs: 300 } });
    try {
      const { oauthId } = await install(hipchat, stack.installations);
      for (let i = 0; i < 3; i++) await stack.notifications.sendRoomNotification(room(oauthId, 2), { message: `c${i}` });
      // A worker that claims and then vanishes without releasing anything.
      const claimed = await stack.outbox.claim('crashed-instance', 10, 10, 300);
      expect(claimed.flat()).toHaveLength(3);
      expect(await stack.outbox.claim('someone-else', 10, 10, 300)).toEqual([]);
      await stack.task.start();
      await waitFor(async () => (await pendingCount(stack.db)) === 0);
      expect(messagesIn(hipchat, 2)).toEqual(['c0', 'c1', 'c2']);
    } finally {
      await stack.close();
    }
  });

  it('keeps its claims alive while HipChat is slower than the lease: nothing is sent twice', async () => {
    const stack = await openStack(database, { worker: { leaseMs: 150 } });
    slowDown(400);
    try {
      const { oauthId } = await install(hipchat, stack.installations);
      for (let i = 0; i < 3; i++) await stack.notifications.sendRoomNotification(room(oauthId, 3), { message: `s${i}` });
      await waitFor(async () => (await pendingCount(stack.db)) === 0, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 600)); // a duplicate in flight would land by now
      expect(messagesIn(hipchat, 3)).toEqual(['s0', 's1', 's2']);
    } finally {
      slowDown(0);
      await stack.close();
    }
  });

  it('never claims again a room it is still delivering, even when a starved heartbeat let the lease lapse: nothing is sent twice', async () => {
    const stack = await openStack(database, { worker: { leaseMs: 60_000 } });
    slowDown(1500);
    try {
      const { oauthId } = await install(hipchat, stack.installations);
      await stack.notifications.sendRoomNotification(room(oauthId, 40), { message: 'l0' });
      const claimed = async () =>
        (await stack.db.query(`SELECT 1 FROM outbox WHERE state = 'pending' AND claimed_by IS NOT NULL`)).rows.length === 1;
      await waitFor(claimed, 5_000, 'the worker to claim the item');
      // What a heartbeat that ran too late (a loaded machine, a busy database) leaves behind.
      await stack.db.query(`UPDATE outbox SET claimed_until = now() - interval '1 second' WHERE state = 'pending'`);
      await waitFor(async () => (await pendingCount(stack.db)) === 0, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1800)); // a second call in flight would land by now
      expect(messagesIn(hipchat, 40)).toEqual(['l0']);
    } finally {
      slowDown(0);
      await stack.close();
    }
  });

  it('a stop during delivery finishes the call in flight and hands the rest back at once, not after the lease', async () => {
    const first = await openStack(database, { worker: { leaseMs: 60_000 } });
    const { oauthId } = await install(hipchat, first.installations);
    slowDown(300);
    try {
      const requestsBefore = hipchat.apiRequests;
      // Queued together, so one claim takes all four.
      await first.db.transaction(async (tx) => {
        for (let i = 0; i < 4; i++) await first.notifications.sendRoomNotification(room(oauthId, 4), { message: `h${i}` }, { tx });
      });
      await waitFor(() => hipchat.apiRequests > requestsBefore, 5_000, 'the first call to reach HipChat');
      await first.close();
      expect(messagesIn(hipchat, 4)).toEqual(['h0']);

      slowDown(0);
      const second = await openStack(database, { start: false, worker: { leaseMs: 60_000 } });
      try {
        const { rows } = await second.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox WHERE oauth_id = $1 AND state = 'pending' AND claimed_by IS NULL`,
          [oauthId],
        );
        expect(Number(rows[0]?.n)).toBe(3);
        await second.task.start();
        await waitFor(async () => (await pendingCount(second.db)) === 0, 5_000, 'the second worker to deliver the rest');
        expect(messagesIn(hipchat, 4)).toEqual(['h0', 'h1', 'h2', 'h3']);
      } finally {
        await second.close();
      }
    } finally {
      slowDown(0);
    }
  });

  it('two workers on one database send nothing twice and keep every room in order', async () => {
    // On Postgres each worker has its own pool (as two processes would); PGlite is one process per
    // data directory, so there the two workers share the Db.
    const a = await openStack(database, { start: false, worker: { concurrency: 4, batchPerRoom: 3 } });
    const b = await openStack(database, {
      start: false,
      worker: { concurrency: 4, batchPerRoom: 3 },
      db: onPostgres ? undefined : a.db,
    });
    try {
      const { oauthId } = await install(hipchat, a.installations);
      const rooms = [11, 12, 13, 14, 15, 16, 17, 18];
      for (let i = 0; i < 15; i++) {
        await Promise.all(rooms.map((r) => a.notifications.sendRoomNotification(room(oauthId, r), { message: `t${i}` })));
      }
      const delivered = { a: 0, b: 0 };
      a.events.on('delivered', () => delivered.a++);
      b.events.on('delivered', () => delivered.b++);
      await Promise.all([a.task.start(), b.task.start()]);
      // A worker emits 'delivered' just after it marks the row, so the events may trail the table by an instant.
      const all = rooms.length * 15;
      await waitFor(async () => (await pendingCount(a.db)) === 0 && delivered.a + delivered.b >= all, 12_000);
      const expected = Array.from({ length: 15 }, (_, i) => `t${i}`);
      for (const r of rooms) expect(messagesIn(hipchat, r)).toEqual(expected);
      expect(delivered.a + delivered.b).toBe(all);
      expect(delivered.a).toBeGreaterThan(0);
      expect(delivered.b).toBeGreaterThan(0);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
