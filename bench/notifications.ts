/**
 * Benchmark: the notification path (token service, outbox, worker) against the HipChat emulator.
 *   - token economy: token requests caused by N concurrent sends to one installation (ideal: 1);
 *   - paced burst: time to deliver 600 notifications to 20 rooms under scaled-down limits, compared
 *     with the least time those limits allow, and the 429s received (ideal: 0).
 *
 * Run (compile this file's import graph into the git-ignored dist-bench/):
 *   npx tsc bench/notifications.ts --outDir dist-bench --rootDir . --strict --module commonjs --target ES2022 \
 *     --esModuleInterop --skipLibCheck --resolveJsonModule && node dist-bench/bench/notifications.js
 * In-memory PGlite by default; DATABASE_URL=postgres://… runs it on that Postgres database (use a
 * scratch one: it is migrated and the benchmark leaves its rows there).
 */
import type { RateLimit } from '../src/config';
import { createLogger } from '../src/shared/logger';
import type { Db } from '../src/store/db';
import { openDb } from '../src/store/open-db';
import { install, openStack, room, startHipChat } from '../test/delivery/delivery-harness';

export interface TokenEconomyResult {
  sends: number;
  tokenRequests: number;
  /** From the first send to the last delivery. */
  deliveredMs: number;
}

export interface PacedBurstResult {
  notifications: number;
  rooms: number;
  roomLimit: RateLimit;
  apiLimit: RateLimit;
  elapsedMs: number;
  /** The least time the limits allow (fixed windows aligned to the epoch, as the emulator keeps them). */
  theoreticalMs: number;
  /** elapsedMs / theoreticalMs − 1 (target: under 0.10). */
  overhead: number;
  tooManyRequests: number;
}

const NO_DATABASE = { databaseUrl: undefined, pgliteDir: 'memory://', drop: async () => undefined };

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export async function benchTokenEconomy(db: Db, sends = 1000): Promise<TokenEconomyResult> {
  const hipchat = await startHipChat();
  hipchat.faults.add({ target: 'token', fault: { kind: 'delay', ms: 20 } });
  const stack = await openStack(NO_DATABASE, { db, worker: { concurrency: 64, pollIntervalMs: 250 } });
  try {
    const { oauthId } = await install(hipchat, stack.installations);
    const started = Date.now();
    await Promise.all(
      Array.from({ length: sends }, (_, i) =>
        stack.notifications.sendRoomNotification(room(oauthId, 1 + (i % 50)), { message: `token bench ${i}` }),
      ),
    );
    await until(() => hipchat.received().length >= sends, 120_000);
    return { sends, tokenRequests: hipchat.tokenRequests().length, deliveredMs: Date.now() - started };
  } finally {
    await stack.close();
    await hipchat.close();
  }
}

/** Least time to send `perKey` requests on one key and `total` on the shared key, from `startMs`. */
export function theoreticalMinimumMs(
  startMs: number,
  perRoom: number,
  total: number,
  roomLimit: RateLimit,
  apiLimit: RateLimit,
): number {
  const finish = (count: number, limit: RateLimit) => {
    const windows = Math.ceil(count / limit.limit);
    if (windows <= 1) return 0;
    const firstReset = (Math.floor(startMs / limit.windowMs) + 1) * limit.windowMs;
    return firstReset + (windows - 2) * limit.windowMs - startMs;
  };
  return Math.max(finish(perRoom, roomLimit), finish(total, apiLimit));
}

export async function benchPacedBurst(
  db: Db,
  options: { notifications?: number; rooms?: number; roomLimit?: RateLimit; apiLimit?: RateLimit } = {},
): Promise<PacedBurstResult> {
  const notifications = options.notifications ?? 600;
  const rooms = options.rooms ?? 20;
  const roomLimit = options.roomLimit ?? { limit: 6, windowMs: 1_000 };
  const apiLimit = options.apiLimit ?? { limit: 150, windowMs: 1_000 };
  const hipchat = await startHipChat();
  hipchat.emulator.setLimits({ floodControl: roomLimit, rateLimit: apiLimit });
  const stack = await openStack(NO_DATABASE, {
    db,
    start: false,
    limits: { apiRateLimit: apiLimit, roomFloodLimit: roomLimit },
    worker: { concurrency: rooms, batchPerRoom: 10, pollIntervalMs: 250 },
  });
  try {
    const { oauthId } = await install(hipchat, stack.installations);
    for (let i = 0; i < notifications; i++) {
      await stack.notifications.sendRoomNotification(room(oauthId, 1 + (i % rooms)), { message: `burst ${i}` });
    }
    // Warm the token so the measurement is about pacing, not the first token request.
    const installation = await stack.installations.get(oauthId);
    if (installation) await stack.tokens.getToken(installation);
    const started = Date.now();
    await stack.task.start();
    await until(() => hipchat.received().length >= notifications, 300_000);
    const finished = Math.max(...hipchat.received().map((r) => r.at));
    const elapsedMs = finished - started;
    const theoreticalMs = theoreticalMinimumMs(started, Math.ceil(notifications / rooms), notifications, roomLimit, apiLimit);
    return {
      notifications,
      rooms,
      roomLimit,
      apiLimit,
      elapsedMs,
      theoreticalMs,
      overhead: elapsedMs / theoreticalMs - 1,
      tooManyRequests: hipchat.tooManyRequests,
    };
  } finally {
    await stack.close();
    await hipchat.close();
  }
}

async function main(): Promise<void> {
  const logger = createLogger('silent');
  const config = { databaseUrl: process.env.DATABASE_URL?.trim() || undefined, pgliteDir: 'memory://' };
  const db = await openDb(config, logger);
  try {
    const tokens = await benchTokenEconomy(db);
    console.log(
      `token economy (${db.kind}): ${tokens.sends} concurrent sends → ${tokens.tokenRequests} token request(s); all delivered in ${tokens.deliveredMs} ms`,
    );
    const burst = await benchPacedBurst(db);
    console.log(
      `paced burst (${db.kind}): ${burst.notifications} notifications to ${burst.rooms} rooms, room ${burst.roomLimit.limit}/${burst.roomLimit.windowMs} ms, ` +
        `token ${burst.apiLimit.limit}/${burst.apiLimit.windowMs} ms: ${burst.elapsedMs} ms vs minimum ${burst.theoreticalMs} ms ` +
        `(+${(burst.overhead * 100).toFixed(1)}%), 429s: ${burst.tooManyRequests}`,
    );
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
