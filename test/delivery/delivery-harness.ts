import type { Scope } from '../../src/emulator';
import type { RateLimit } from '../../src/config';
import { createHttpClient } from '../../src/hipchat/api/http-client';
import { createDelivery, type Delivery } from '../../src/hipchat/delivery/create-delivery';
import type { DeliveryTarget } from '../../src/hipchat/delivery/delivery-target';
import type { OutboxWorkerOptions } from '../../src/hipchat/delivery/outbox-worker';
import { InstallationCache } from '../../src/hipchat/installations/installation-cache';
import { InstallationStore } from '../../src/hipchat/installations/installation-store';
import { createLogger } from '../../src/shared/logger';
import type { Db } from '../../src/store/db';
import { openDb } from '../../src/store/open-db';
import { SecretBox } from '../../src/store/secret-box';
import { EmulatedHipChat } from '../helpers/hipchat-emulator';
import type { TestDatabase } from '../helpers/test-database';

export const SCOPES = ['send_notification', 'send_message', 'admin_room'];
export const KEY = Buffer.alloc(32, 7);

/** Small delays so retries finish within a test. */
export const FAST_WORKER: OutboxWorkerOptions = {
  pollIntervalMs: 50,
  leaseMs: 5_000,
  concurrency: 16,
  retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 100 },
  stopGraceMs: 2_000,
};

export interface Stack extends Delivery {
  db: Db;
  installations: InstallationStore;
  /** Stops the worker; closes the database too if this stack opened it. */
  close(): Promise<void>;
}

export interface StackOptions {
  worker?: OutboxWorkerOptions;
  limits?: { apiRateLimit: RateLimit; roomFloodLimit: RateLimit };
  /** Share this Db instead of opening one (two workers in one process on PGlite). */
  db?: Db;
  start?: boolean;
  /** Total deadline of each call to HipChat (default 5 s). */
  httpDeadlineMs?: number;
}

/** The delivery stack as services wires it, on the given test database. */
export async function openStack(database: TestDatabase, options: StackOptions = {}): Promise<Stack> {
  const logger = createLogger('silent');
  const db = options.db ?? (await openDb(database, logger));
  const secrets = new SecretBox(KEY);
  const installations = new InstallationStore(db, secrets);
  const installationCache = new InstallationCache(installations);
  const delivery = createDelivery(
    {
      config: options.limits ?? {
        apiRateLimit: { limit: 100_000, windowMs: 300_000 },
        roomFloodLimit: { limit: 100_000, windowMs: 60_000 },
      },
      db,
      http: createHttpClient(options.httpDeadlineMs ?? 5_000),
      secrets,
      installations,
      installationLookup: installationCache,
      scopes: SCOPES,
      logger,
    },
    { ...FAST_WORKER, ...options.worker },
  );
  await installationCache.start();
  if (options.start ?? true) await delivery.task.start();
  return {
    ...delivery,
    db,
    installations,
    async close() {
      await delivery.task.stop();
      await installationCache.stop();
      if (!options.db) await db.close();
    },
  };
}

/** Glance keys the tests push; the emulator accepts updates only of glances an add-on declares. */
const GLANCE_KEYS = ['tasks.glance', 'tasks', 'g', 'a', 'b'];

/** HipChat for the delivery tests: the emulator, with rooms 1–299 (the tests name rooms by number). */
export async function startHipChat(): Promise<EmulatedHipChat> {
  const hipchat = await EmulatedHipChat.start();
  hipchat.ensureRooms(...Array.from({ length: 299 }, (_, i) => i + 1));
  return hipchat;
}

/** Registers a client at HipChat and the matching installation in the store. */
export async function install(
  hipchat: EmulatedHipChat,
  installations: InstallationStore,
  roomId: number | null = 1,
): Promise<{ oauthId: string; oauthSecret: string }> {
  const { oauthId, oauthSecret, groupId } = hipchat.addClient({ groupId: hipchat.groupId, scopes: SCOPES as Scope[], glances: GLANCE_KEYS });
  await installations.save({
    oauthId,
    oauthSecret,
    groupId,
    roomId,
    capabilitiesUrl: hipchat.capabilitiesUrl,
    tokenUrl: hipchat.tokenUrl,
    apiUrl: hipchat.apiUrl,
    hipchatBaseUrl: hipchat.url,
    scopes: SCOPES,
  });
  return { oauthId, oauthSecret };
}

export const room = (oauthId: string, roomId: number): DeliveryTarget => ({ kind: 'installation', oauthId, roomId });

/** Polls until `check` is true (or fails the test after `timeoutMs`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 8_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function pendingCount(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE state = 'pending'`);
  return Number(rows[0]?.n ?? 0);
}

/** The `message` fields of the notifications and messages HipChat received for one room, in arrival order. */
export const messagesIn = (hipchat: EmulatedHipChat, roomId: number): string[] =>
  hipchat
    .received()
    .filter((r) => r.roomId === roomId && /\/(notification|message)$/.test(r.path))
    .map((r) => (r.body as { message: string }).message);

/** The glance updates HipChat received for one room, in arrival order. */
export const glancesIn = (hipchat: EmulatedHipChat, roomId: number): unknown[] =>
  hipchat.received().filter((r) => r.roomId === roomId && r.path.startsWith('/v2/addon/ui/room/')).map((r) => r.body);
