import crypto from 'node:crypto';
import type { Installation } from '../../src/hipchat/installations/installation';
import type { Services } from '../../src/services';
import type { BenchItem, ItemContext } from '../harness/bench-row';
import { startBenchStack, type BenchStack } from '../harness/bench-stack';
import { formatBytes, formatMs, formatNumber, msSince, percentile } from '../harness/stats';

const TOTAL = 100_000;
const API_INSTALLS = 50;
const STORE_SAVES = 2_000;
const BATCH = 1_000;
const LOOKUPS = 2_000;

/**
 * Item 6: 100,000 installations in the store. Three ways in, each timed: the full install flow
 * through the emulator (a subset), InstallationStore.save (a subset), and a multi-row INSERT into the
 * same table for the bulk. Then cold-cache look-ups and this process's memory.
 */
export const storeScaleItem: BenchItem = {
  name: 'store',
  title: 'Scale of the store',
  async run(context) {
    const database = await context.createDatabase();
    try {
      const stack = await startBenchStack({ database, install: 'none' });
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
  const { services } = stack.addon;
  const apiRate = await installThroughApi(stack);
  context.record({
    measure: `Store: installs through the install flow (${API_INSTALLS}, sequential)`,
    value: typeof apiRate === 'number' ? `${formatNumber(apiRate, 1)} /s` : apiRate,
  });

  let started = process.hrtime.bigint();
  for (let i = 0; i < STORE_SAVES; i += 1) await services.installations.save(fakeInstallation(i));
  context.record({
    measure: `Store: InstallationStore.save (${formatNumber(STORE_SAVES)}, sequential)`,
    value: `${formatNumber((STORE_SAVES / msSince(started)) * 1000)} /s`,
  });

  const existing = await services.installations.count();
  const bulkCount = TOTAL - existing;
  started = process.hrtime.bigint();
  for (let done = 0; done < bulkCount; done += BATCH) {
    await bulkInsert(services, STORE_SAVES + done, Math.min(BATCH, bulkCount - done));
  }
  const bulkMs = msSince(started);
  const stored = await services.installations.count();
  context.record({
    measure: `Store: bulk INSERT to ${formatNumber(stored)} installations (${formatNumber(BATCH)} rows per statement)`,
    value: `${formatNumber(((stored - existing) / bulkMs) * 1000)} rows/s (${(bulkMs / 1000).toFixed(1)} s)`,
  });

  const cold = await timeLookups(services, STORE_SAVES + bulkCount, LOOKUPS);
  context.record({
    measure: `Store: look-up with a cold cache, ${formatNumber(LOOKUPS)} distinct ids (p50 / p99)`,
    value: `${formatMs(cold.p50)} / ${formatMs(cold.p99)}`,
  });
  const memory = process.memoryUsage();
  context.record({
    measure: 'Store: memory of the process (add-on, emulator and, on PGlite, the database) rss / heapUsed',
    value: `${formatBytes(memory.rss)} / ${formatBytes(memory.heapUsed)}`,
  });
}

async function installThroughApi(stack: BenchStack): Promise<number | string> {
  const descriptorUrl = `${stack.addon.url}/atlassian-connect.json`;
  const rooms = Array.from({ length: API_INSTALLS }, (_, i) => stack.emulator.createRoom(`Scale ${i}`));
  const started = process.hrtime.bigint();
  try {
    for (const room of rooms) await stack.emulator.install(descriptorUrl, { roomId: room.id });
  } catch (error) {
    return `n/a (install failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
  return (API_INSTALLS / msSince(started)) * 1000;
}

function fakeInstallation(index: number): Omit<Installation, 'createdAt' | 'updatedAt'> {
  return {
    oauthId: benchOauthId(index),
    oauthSecret: crypto.randomBytes(30).toString('base64url'),
    groupId: 10_000 + (index % 5_000),
    roomId: index % 3 === 0 ? null : 1_000 + index,
    capabilitiesUrl: 'https://api.hipchat.com/v2/capabilities',
    tokenUrl: 'https://api.hipchat.com/v2/oauth/token',
    apiUrl: 'https://api.hipchat.com/v2/',
    hipchatBaseUrl: 'https://www.hipchat.com',
    scopes: ['send_notification', 'view_room'],
  };
}

/** Deterministic ids, so look-ups can pick stored ones at random without keeping 100,000 strings. */
function benchOauthId(index: number): string {
  return `bench-${index.toString().padStart(8, '0')}-0000-4000-8000-000000000000`;
}

/** The same columns and sealing as InstallationStore.save, many rows per statement. */
async function bulkInsert(services: Services, offset: number, size: number): Promise<void> {
  const values: string[] = [];
  const params: unknown[] = [];
  for (let i = 0; i < size; i += 1) {
    const row = fakeInstallation(offset + i);
    const base = params.length;
    values.push(`(${Array.from({ length: 9 }, (_, k) => `$${base + k + 1}`).join(', ')})`);
    params.push(
      row.oauthId,
      services.secrets.seal(row.oauthSecret),
      row.groupId,
      row.roomId,
      row.capabilitiesUrl,
      row.tokenUrl,
      row.apiUrl,
      row.hipchatBaseUrl,
      row.scopes.join(' '),
    );
  }
  await services.db.query(
    `INSERT INTO installations
       (oauth_id, oauth_secret, group_id, room_id, capabilities_url, token_url, api_url, hipchat_base_url, scopes)
     VALUES ${values.join(', ')}`,
    params,
  );
}

/** Look-ups through the installation cache (what the JWT check calls) of ids it has never seen. */
async function timeLookups(services: Services, stored: number, count: number): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  const seen = new Set<number>();
  while (times.length < count) {
    const index = crypto.randomInt(stored);
    if (seen.has(index)) continue;
    seen.add(index);
    const started = process.hrtime.bigint();
    const found = await services.installationCache.get(benchOauthId(index));
    times.push(msSince(started));
    if (!found) throw new Error(`installation ${index} not found`);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}
