import type { RateLimit } from '../../src/config';
import type { BenchItem, ItemContext } from '../harness/bench-row';
import { startBenchStack, type BenchStack } from '../harness/bench-stack';
import { countNotifications } from '../harness/notification-counter';
import { formatNumber } from '../harness/stats';
import { theoreticalMinimumMs } from '../notifications';

const NOTIFICATIONS = 600;
const ROOMS = 20;
/** HipChat's 500 per 5 minutes per token and 30 per minute per room, scaled 60 times down. */
const API_LIMIT: RateLimit = { limit: 500, windowMs: 5_000 };
const ROOM_LIMIT: RateLimit = { limit: 30, windowMs: 1_000 };
const TIMEOUT_MS = 60_000;

/**
 * Item 5: 600 notifications to 20 rooms (one global installation) under the emulator's limits
 * scaled down, with the add-on's HIPCHAT_RATE_LIMIT / HIPCHAT_ROOM_FLOOD_LIMIT set to the same.
 * All 600 are queued in one transaction that commits right after a token-window boundary, so the
 * least time the limits allow is the same on every run (one full token window).
 */
export const burstDrainItem: BenchItem = {
  name: 'burst',
  title: 'Burst drain',
  async run(context) {
    context.footnote(
      `Burst drain: limits scaled 60× down, ${API_LIMIT.limit} requests per ${API_LIMIT.windowMs / 1000} s per token and ${ROOM_LIMIT.limit} per ${ROOM_LIMIT.windowMs / 1000} s per room (emulator and add-on alike); ${NOTIFICATIONS} notifications, ${ROOMS} rooms, one global installation.`,
    );
    const database = await context.createDatabase();
    try {
      const stack = await startBenchStack({
        database,
        install: 'global',
        limits: { rateLimit: API_LIMIT, floodControl: ROOM_LIMIT },
        env: {
          HIPCHAT_RATE_LIMIT: `${API_LIMIT.limit}/${API_LIMIT.windowMs / 1000}`,
          HIPCHAT_ROOM_FLOOD_LIMIT: `${ROOM_LIMIT.limit}/${ROOM_LIMIT.windowMs / 1000}`,
        },
      });
      try {
        await measure(context, stack);
      } finally {
        await stack.stop();
      }
    } finally {
      await database.drop();
    }
  },
};

async function measure(context: ItemContext, stack: BenchStack): Promise<void> {
  const { emulator, installation, addon } = stack;
  if (!installation) throw new Error(`install failed: ${stack.installError ?? 'unknown'}`);
  const rooms = [stack.room, ...Array.from({ length: ROOMS - 1 }, (_, i) => emulator.createRoom(`Burst ${i + 2}`))];
  const target = (i: number) => ({ kind: 'installation' as const, oauthId: installation.oauthId, roomId: (rooms[i % ROOMS] ?? stack.room).id });
  // One delivered notification first, so the measurement is about pacing, not the first token request.
  const warm = countNotifications(emulator, 1, TIMEOUT_MS);
  await addon.services.notifications.sendRoomNotification(target(0), { message: 'warm-up' });
  await warm;
  const arrived = countNotifications(emulator, NOTIFICATIONS, TIMEOUT_MS);
  let started = 0;
  await addon.services.db.transaction(async (tx) => {
    for (let i = 0; i < NOTIFICATIONS; i += 1) {
      await addon.services.notifications.sendRoomNotification(target(i), { message: `burst ${i}` }, { tx });
    }
    await untilWindowStart(API_LIMIT.windowMs);
    emulator.resetStats();
    started = Date.now();
  });
  const { lastAt } = await arrived;
  const elapsed = lastAt - started;
  const minimum = theoreticalMinimumMs(started, Math.ceil(NOTIFICATIONS / ROOMS), NOTIFICATIONS, ROOM_LIMIT, API_LIMIT);
  const overhead = elapsed / minimum - 1;
  const rateLimited = emulator.stats().rateLimited;
  context.record({
    measure: `Burst: ${NOTIFICATIONS} notifications to ${ROOMS} rooms, time vs the least the limits allow`,
    value: `${formatNumber(elapsed)} ms vs ${formatNumber(minimum)} ms (${overhead >= 0 ? '+' : ''}${(overhead * 100).toFixed(1)}%)`,
    target: 'within 10%',
    met: overhead <= 0.1,
  });
  context.record({ measure: 'Burst: 429s from the emulator', value: String(rateLimited), target: '0', met: rateLimited === 0 });
}

/** Waits until just after the next multiple of windowMs since the epoch (the emulator's windows are aligned so). */
async function untilWindowStart(windowMs: number): Promise<void> {
  const wait = windowMs - (Date.now() % windowMs) + 5;
  await new Promise((resolve) => setTimeout(resolve, wait));
}
