import { startEmulator, type Emulator } from '../../src/emulator';
import type { DeliveryTarget } from '../../src/hipchat/delivery/delivery-target';
import { NotificationService } from '../../src/hipchat/delivery/notification-service';
import { OutboxStore } from '../../src/hipchat/delivery/outbox-store';
import { createLogger } from '../../src/shared/logger';
import { openDb } from '../../src/store/open-db';
import type { BenchItem, ItemContext } from '../harness/bench-row';
import { benchEnv, startBenchStack, UNTHROTTLED } from '../harness/bench-stack';
import { freePort } from '../harness/free-port';
import { countNotifications, tokenRequests } from '../harness/notification-counter';
import { buildServer, spawnAddon, type SpawnedAddon } from '../harness/spawn-addon';
import { formatNumber } from '../harness/stats';

const SENDS = 1000;
/** More rooms than two workers claim at once (32 each), so both processes deliver: delivery is ordered, so claimed, per room. */
const ROOMS = 100;
const TIMEOUT_MS = 120_000;
/** The add-on must not pace this item: it is about tokens, not limits. */
const NO_PACING = { HIPCHAT_RATE_LIMIT: '100000000/60', HIPCHAT_ROOM_FLOOD_LIMIT: '100000000/60' };

/**
 * Item 4: token requests (emulator stats().tokenRequests) for 1000 concurrent notifications to one
 * global installation (100 rooms), with one add-on process, and with two `node dist/server.js` sharing Postgres.
 * The token request the install itself makes (proving the credentials) is not counted.
 */
export const tokenEconomyItem: BenchItem = {
  name: 'tokens',
  title: 'Token economy',
  async run(context) {
    await oneProcess(context);
    if (context.database === 'postgres') await twoProcesses(context);
    else context.record({ measure: measureName(2), value: 'n/a (single process)', target: '1' });
  },
};

function measureName(processes: number): string {
  return `Token requests for ${formatNumber(SENDS)} concurrent notifications, ${processes} add-on process${processes > 1 ? 'es' : ''}`;
}

function record(context: ItemContext, processes: number, requests: number, ms: number, split = ''): void {
  context.record({
    measure: measureName(processes),
    value: `${requests} (all delivered in ${formatNumber(ms)} ms${split})`,
    target: '1',
    met: requests <= 1,
  });
}

async function oneProcess(context: ItemContext): Promise<void> {
  const database = await context.createDatabase();
  try {
    const stack = await startBenchStack({ database, env: NO_PACING, install: 'global' });
    try {
      const { installation, emulator } = stack;
      if (!installation) throw new Error(`install failed: ${stack.installError ?? 'unknown'}`);
      const target = targets(installation.oauthId, roomIds(emulator, stack.room.id));
      emulator.resetStats();
      const arrived = countNotifications(emulator, SENDS, TIMEOUT_MS);
      const started = Date.now();
      await Promise.all(
        Array.from({ length: SENDS }, (_, i) => stack.addon.services.notifications.sendRoomNotification(target(i), { message: `token bench ${i}` })),
      );
      const { lastAt } = await arrived;
      record(context, 1, tokenRequests(emulator, installation.oauthId), lastAt - started);
    } finally {
      await stack.stop();
    }
  } finally {
    await database.drop();
  }
}

function roomIds(emulator: Emulator, first: number): number[] {
  return [first, ...Array.from({ length: ROOMS - 1 }, (_, i) => emulator.createRoom(`Tokens ${i + 2}`).id)];
}

function targets(oauthId: string, rooms: number[]): (i: number) => DeliveryTarget {
  return (i) => ({ kind: 'installation', oauthId, roomId: rooms[i % rooms.length] as number });
}

/** The process's own count of delivered calls, from its Prometheus metrics ('?' if they could not be read). */
async function deliveredBy(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`).catch(() => undefined);
  if (!response?.ok) return '?';
  // A process that delivered nothing has no sample with that label yet.
  return /hipchat_deliveries_total\{outcome="delivered"\} (\d+)/.exec(await response.text())?.[1] ?? '0';
}

async function twoProcesses(context: ItemContext): Promise<void> {
  buildServer(context.log);
  const database = await context.createDatabase();
  const emulator = await startEmulator({ limits: UNTHROTTLED });
  const addons: SpawnedAddon[] = [];
  try {
    for (let i = 0; i < 2; i += 1) {
      const port = await freePort();
      addons.push(await spawnAddon(benchEnv(database, port, NO_PACING), port));
    }
    const installation = await emulator.install(`${addons[0]?.url}/atlassian-connect.json`);
    const target = targets(installation.oauthId, roomIds(emulator, emulator.createRoom('Bench').id));
    emulator.resetStats();
    // The sends are queued from here straight into the shared outbox; both processes' workers deliver them.
    const db = await openDb(database, createLogger('silent'));
    try {
      const notifications = new NotificationService(new OutboxStore(db));
      const arrived = countNotifications(emulator, SENDS, TIMEOUT_MS);
      const started = Date.now();
      await Promise.all(Array.from({ length: SENDS }, (_, i) => notifications.sendRoomNotification(target(i), { message: `token bench ${i}` })));
      const { lastAt } = await arrived;
      // A process counts a delivery once HipChat's answer is back, a moment after the emulator recorded it.
      await new Promise((resolve) => setTimeout(resolve, 250));
      const perProcess = await Promise.all(addons.map((addon) => deliveredBy(addon.url)));
      record(context, 2, tokenRequests(emulator, installation.oauthId), lastAt - started, `; delivered per process: ${perProcess.join(' + ')}`);
    } finally {
      await db.close();
    }
  } finally {
    await Promise.all(addons.map((addon) => addon.stop()));
    await emulator.close();
    await database.drop();
  }
}
