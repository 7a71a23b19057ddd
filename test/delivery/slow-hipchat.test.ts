import type { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { install, messagesIn, openStack, room, startHipChat, waitFor, type Stack } from './delivery-harness';

/** Each call's total deadline in this test (the add-on's default is 10 s). */
const DEADLINE_MS = 4_000;
/** The worker's defaults: 32 rooms at once, 8 of them at most on one HipChat host. */
const SLOTS = 32;
const PER_HOST = 8;

describe('a slow HipChat cannot stall the others', () => {
  let database: TestDatabase;
  let stack: Stack;
  let slow: EmulatedHipChat;
  let fast: EmulatedHipChat;

  beforeAll(async () => {
    slow = await startHipChat();
    fast = await startHipChat();
    database = await createTestDatabase();
    stack = await openStack(database, { httpDeadlineMs: DEADLINE_MS, worker: { concurrency: SLOTS, maxPerHost: PER_HOST } });
  });
  afterAll(async () => {
    await stack.close();
    await slow.close();
    await fast.close();
    await database.drop();
  });

  it("installation A on a trickling HipChat does not stall installation B: B's notifications arrive within one deadline", async () => {
    const a = await install(slow, stack.installations);
    const b = await install(fast, stack.installations);
    slow.faults.add({ target: 'api', fault: { kind: 'trickle', intervalMs: 100 } }); // headers at once, then a byte every 100 ms: no idle timeout ever fires
    // Two slots' worth of A's rooms, queued first: without a share per host they would take every slot
    // for a whole deadline, twice over, before B's turn.
    for (let r = 1; r <= 2 * SLOTS; r++) await stack.notifications.sendRoomNotification(room(a.oauthId, r), { message: `a${r}` });
    await waitFor(() => slow.faults.openTrickles >= PER_HOST, 10_000, "A's calls to be held by its HipChat");

    const sent = await Promise.all(
      [1, 2, 3].map((r) => stack.notifications.sendRoomNotification(room(b.oauthId, r), { message: `b${r}` })),
    );
    await waitFor(
      async () => (await Promise.all(sent.map((s) => stack.notifications.getDelivery(s.deliveryId)))).every((d) => d?.state === 'delivered'),
      DEADLINE_MS,
      "B's notifications, within one deadline",
    );
    expect([1, 2, 3].map((r) => messagesIn(fast, r))).toEqual([['b1'], ['b2'], ['b3']]);
    expect(slow.faults.mostOpenTrickles).toBeLessThanOrEqual(PER_HOST);

    // A's calls are cut off at the deadline and retried later, never counted as delivered.
    const failedAttempts = async () =>
      (
        await stack.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox WHERE oauth_id = $1 AND last_error LIKE '%ETIMEDOUT%'`,
          [a.oauthId],
        )
      ).rows[0]?.n ?? 0;
    await waitFor(async () => (await failedAttempts()) > 0, 3 * DEADLINE_MS, 'a call to A to reach its deadline');
    const { rows } = await stack.db.query<{ state: string }>(`SELECT DISTINCT state FROM outbox WHERE oauth_id = $1`, [a.oauthId]);
    expect(rows).toEqual([{ state: 'pending' }]);
    expect(slow.received()).toEqual([]);
  }, 40_000);
});
