import type { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { install, messagesIn, openStack, pendingCount, room, startHipChat, waitFor, type Stack } from './delivery-harness';

describe('HipChat rate limits: pacing and 429s', () => {
  let database: TestDatabase;
  let stack: Stack;
  let hipchat: EmulatedHipChat;
  const limits = { apiRateLimit: { limit: 8, windowMs: 400 }, roomFloodLimit: { limit: 3, windowMs: 400 } };

  beforeAll(async () => {
    hipchat = await startHipChat();
    database = await createTestDatabase();
    stack = await openStack(database, { limits });
  });
  afterAll(async () => {
    await stack.close();
    await hipchat.close();
    await database.drop();
  });

  const cases: Array<[string, (nowMs: number) => Record<string, string>]> = [
    ['Retry-After (seconds)', () => ({ 'Retry-After': '0.3' })],
    ['X-Ratelimit-Reset (Unix seconds, fractional)', (now) => ({
      'X-Ratelimit-Limit': '100',
      'X-Ratelimit-Remaining': '0',
      'X-Ratelimit-Reset': String((now + 300) / 1000),
    })],
    ['X-FloodControl-Reset (Unix seconds, fractional)', (now) => ({
      'X-FloodControl-Limit': '30',
      'X-FloodControl-Remaining': '0',
      'X-FloodControl-Reset': String((now + 300) / 1000),
    })],
  ];

  it.each(cases)('on a 429 with %s waits, then resends without counting a failure', async (_, headers) => {
    const { oauthId } = await install(hipchat, stack.installations);
    const limited: number[] = [];
    const retried: string[] = [];
    const onLimited = (event: { delayMs: number }) => limited.push(event.delayMs);
    const onRetried = (event: { error: string }) => retried.push(event.error);
    stack.events.on('rate_limited', onLimited);
    stack.events.on('retried', onRetried);
    try {
      const roomId = 100 + cases.findIndex(([name]) => name === _);
      // The headers are built when HipChat answers; each case's reset is 300 ms after that moment.
      let answeredAt = Number.NaN;
      hipchat.failNext(1, 429, 'You have exceeded the rate limit', (now: number) => {
        answeredAt = now;
        return headers(now);
      });
      const { deliveryId } = await stack.notifications.sendRoomNotification(room(oauthId, roomId), { message: 'limited' });
      await waitFor(async () => (await stack.notifications.getDelivery(deliveryId))?.state === 'delivered');
      expect(await stack.notifications.getDelivery(deliveryId)).toMatchObject({ attempts: 1, lastError: null });
      expect(limited).toHaveLength(1);
      expect(limited[0]).toBeGreaterThan(0);
      expect(retried).toEqual([]);
      // Not before the reset HipChat named, however long the answer spent in transit (a lower bound only:
      // a loaded machine can make the resend later, never earlier).
      const arrived = hipchat.received().find((r) => r.roomId === roomId);
      expect(arrived!.at).toBeGreaterThanOrEqual(answeredAt + 300 - 1);
    } finally {
      stack.events.off('rate_limited', onLimited);
      stack.events.off('retried', onRetried);
    }
  });

  it('paces itself to the per-room and per-token limits from the headers: no 429 in the normal case', async () => {
    const unlimited = hipchat.emulator.limits;
    hipchat.emulator.setLimits({ floodControl: limits.roomFloodLimit, rateLimit: limits.apiRateLimit });
    try {
      const { oauthId } = await install(hipchat, stack.installations);
      const before = hipchat.tooManyRequests;
      const rooms = [201, 202, 203];
      for (let i = 0; i < 6; i++) {
        for (const r of rooms) await stack.notifications.sendRoomNotification(room(oauthId, r), { message: `p${i}` });
      }
      await stack.notifications.updateRoomGlance(room(oauthId, 201), [
        { key: 'g', content: { label: { type: 'html', value: 'x' } } },
      ]);
      await waitFor(async () => (await pendingCount(stack.db)) === 0, 12_000);
      expect(hipchat.tooManyRequests - before).toBe(0);
      for (const r of rooms) expect(messagesIn(hipchat, r)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
    } finally {
      hipchat.emulator.setLimits(unlimited);
    }
  });
});

/** Runs `run` with the delays the outbox's rate_limited events report, as they come. */
async function watchRateLimited(stack: Stack, run: (limited: number[]) => Promise<void>): Promise<void> {
  const limited: number[] = [];
  const onLimited = (event: { delayMs: number }) => limited.push(event.delayMs);
  stack.events.on('rate_limited', onLimited);
  try {
    await run(limited);
  } finally {
    stack.events.off('rate_limited', onLimited);
  }
}

describe("a 429's own time against the pacer's assumed windows", () => {
  let database: TestDatabase;
  let stack: Stack;
  let hipchat: EmulatedHipChat;

  beforeAll(async () => {
    hipchat = await startHipChat();
    database = await createTestDatabase();
    stack = await openStack(database); // HipChat's windows: a minute per room, five per token
  });
  afterAll(async () => {
    await stack.close();
    await hipchat.close();
    await database.drop();
  });

  it('Retry-After: 0.3 without rate headers is waited out, not the rest of the minute the pacer assumed for the room', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    await watchRateLimited(stack, async (limited) => {
      await stack.notifications.sendRoomNotification(room(oauthId, 299), { message: 'opens the window' });
      await waitFor(() => messagesIn(hipchat, 299).length === 1);
      hipchat.failNext(1, 429, 'You have exceeded the rate limit', { 'Retry-After': '0.3' });
      await stack.notifications.sendRoomNotification(room(oauthId, 299), { message: 'limited' });
      // Well inside the assumed minute: before the fix the pacer held the room until that minute ended.
      // HipChat's 0.3 s is below the least back-off after a 429 (1 s), which is waited instead.
      await waitFor(() => messagesIn(hipchat, 299).length === 2, 20_000, 'the resend after Retry-After');
      expect(messagesIn(hipchat, 299)).toEqual(['opens the window', 'limited']);
      expect(limited).toEqual([1_000]);
    });
  });

  it('a host answering 429 with a tiny Retry-After again and again is not called in a loop: the wait doubles each time', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    await watchRateLimited(stack, async (limited) => {
      hipchat.failNext(2, 429, 'You have exceeded the rate limit', { 'Retry-After': '0.001' });
      await stack.notifications.sendRoomNotification(room(oauthId, 298), { message: 'after two 429s' });
      await waitFor(() => messagesIn(hipchat, 298).length === 1, 20_000, 'the resend after two 429s');
      expect(limited).toEqual([1_000, 2_000]);
      const calls = hipchat.requests().filter((r) => r.target === 'api' && r.path === '/v2/room/298/notification');
      expect(calls).toHaveLength(3);
    });
  });

  it("a 429 whose reset header is already past counts as no hint: the room's assumed minute is waited out", async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    await watchRateLimited(stack, async (limited) => {
      hipchat.failNext(1, 429, 'You have exceeded the rate limit', (now: number) => ({
        'X-Ratelimit-Limit': '100',
        'X-Ratelimit-Remaining': '0',
        'X-Ratelimit-Reset': String(Math.floor(now / 1000) - 60),
      }));
      await stack.notifications.sendRoomNotification(room(oauthId, 297), { message: 'held' });
      await waitFor(() => limited.length === 1, 8_000, 'the 429');
      expect(limited[0]).toBeGreaterThan(30_000);
      expect(messagesIn(hipchat, 297)).toEqual([]);
    });
  });
});
