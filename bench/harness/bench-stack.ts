import crypto from 'node:crypto';
import { loadConfig } from '../../src/config';
import { startEmulator, type Emulator, type Installation, type Limits, type Room, type User } from '../../src/emulator';
import { startAddon, type RunningAddon } from '../../src/runtime';
import type { BenchDatabase } from './bench-database';
import { freePort } from './free-port';

/** Limits high enough that the emulator never throttles the add-on outside the rate-limit items. */
export const UNTHROTTLED: Limits = {
  rateLimit: { limit: 10_000_000, windowMs: 60_000 },
  floodControl: { limit: 10_000_000, windowMs: 60_000 },
};

export interface BenchStackOptions {
  database: BenchDatabase;
  /** Extra add-on environment (e.g. HIPCHAT_RATE_LIMIT). */
  env?: Record<string, string>;
  limits?: Limits;
  /** Install the add-on into the room (default) or the whole group, or not at all. */
  install?: 'room' | 'global' | 'none';
}

/** The emulator as HipChat, the real add-on in this process on loopback, and (usually) one installation. */
export interface BenchStack {
  emulator: Emulator;
  addon: RunningAddon;
  room: Room;
  user: User;
  installation: Installation | undefined;
  /** Why installing failed (e.g. the install routes are not mounted yet). */
  installError: string | undefined;
  stop(): Promise<void>;
}

/** One key per run, so that add-on processes sharing a database can open each other's secrets. */
const ENCRYPTION_KEY = crypto.randomBytes(32).toString('hex');

/** The add-on's environment for a benchmark: loopback HipChat trusted, quiet logs, no per-IP limit in the way. */
export function benchEnv(database: BenchDatabase, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: String(port),
    BASE_URL: `http://127.0.0.1:${port}`,
    HIPCHAT_ALLOWED_HOSTS: '127.0.0.1,localhost',
    LOG_LEVEL: 'silent',
    PUBLIC_RATE_LIMIT: '100000000/60',
    NODE_ENV: 'production',
    ENCRYPTION_KEY,
    ...database.env,
    ...extra,
  };
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const emulator = await startEmulator({ limits: options.limits ?? UNTHROTTLED });
  let addon: RunningAddon;
  try {
    const port = await freePort();
    addon = await startAddon(loadConfig(benchEnv(options.database, port, options.env)));
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const room = emulator.createRoom('Bench');
  const user = emulator.createUser({ name: 'Bench User', mention_name: 'bench' });
  let installation: Installation | undefined;
  let installError: string | undefined;
  if (options.install !== 'none') {
    try {
      installation = await emulator.install(
        `${addon.url}/atlassian-connect.json`,
        options.install === 'global' ? {} : { roomId: room.id },
      );
    } catch (error) {
      installError = error instanceof Error ? error.message.split('\n')[0] : String(error);
    }
  }
  return {
    emulator,
    addon,
    room,
    user,
    installation,
    installError,
    async stop() {
      await addon.stop();
      await emulator.close();
    },
  };
}
