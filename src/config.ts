import { z } from 'zod';

/**
 * Every setting the server reads, turned from the environment into one typed, validated object.
 * Nothing else in src/ reads process.env. `.env.example` documents each variable.
 */
export interface Config {
  nodeEnv: string;
  port: number;
  baseUrl: string;
  databaseUrl: string | undefined;
  pgliteDir: string;
  allowedHosts: string[];
  logLevel: string;
  /** 32-byte key for AES-256-GCM encryption of secrets at rest; undefined = stored unencrypted. */
  encryptionKey: Buffer | undefined;
  jwtClockSkewSeconds: number;
  adminToken: string | undefined;
  metricsToken: string | undefined;
  /** HipChat's API limit per token (Cloud: 500 per 5 minutes). */
  apiRateLimit: RateLimit;
  /** HipChat's flood control per room (Cloud: 30 messages per minute). */
  roomFloodLimit: RateLimit;
  /** Seconds after a refused uninstall at which the add-on checks again whether the OAuth client is gone. */
  uninstallRecheckSeconds: number[];
  /** Requests one incoming hook may receive per window before it gets 429. */
  hookRateLimit: RateLimit;
  /** Requests per IP to endpoints reachable without a JWT (install callbacks, connect page, hooks). */
  publicRateLimit: RateLimit;
  shutdownTimeoutMs: number;
  /** How long an instance's claim on outbox work lasts; a crashed instance's work is taken over after it. */
  outboxLeaseMs: number;
  /** Total deadline (headers and body) of every call to HipChat: capabilities, installable, token, REST. */
  hipchatHttpTimeoutMs: number;
  /** Calls the outbox worker has in flight to one HipChat host at most, so a slow host keeps to its share. */
  hipchatMaxCallsPerHost: number;
  /** A room whose pending messages would take longer than this to pass its flood limit refuses hook posts (429). */
  roomBacklogSeconds: number;
}

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export const HIPCHAT_CLOUD_HOSTS = ['api.hipchat.com', '*.hipchat.com', 'hipchat.com'];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env): Config {
  const port = readInt(env, 'PORT', 3000, 0, 65535);
  const config: Config = {
    nodeEnv: read(env, 'NODE_ENV') ?? 'development',
    port,
    baseUrl: readBaseUrl(env, port),
    databaseUrl: readDatabaseUrl(env),
    pgliteDir: read(env, 'PGLITE_DIR') ?? './data/pglite',
    allowedHosts: readAllowedHosts(env),
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    encryptionKey: readEncryptionKey(env),
    jwtClockSkewSeconds: readInt(env, 'JWT_CLOCK_SKEW_SECONDS', 60, 0, 600),
    adminToken: readSecret(env, 'ADMIN_TOKEN'),
    metricsToken: readSecret(env, 'METRICS_TOKEN'),
    apiRateLimit: readRateLimit(env, 'HIPCHAT_RATE_LIMIT', { limit: 500, windowMs: 300_000 }),
    roomFloodLimit: readRateLimit(env, 'HIPCHAT_ROOM_FLOOD_LIMIT', { limit: 30, windowMs: 60_000 }),
    uninstallRecheckSeconds: readIntList(env, 'UNINSTALL_RECHECK_SECONDS', [30, 120, 600]),
    // Within HipChat's room flood limit (30/min), so one steady hook alone never builds a backlog.
    hookRateLimit: readRateLimit(env, 'HOOK_RATE_LIMIT', { limit: 30, windowMs: 60_000 }),
    publicRateLimit: readRateLimit(env, 'PUBLIC_RATE_LIMIT', { limit: 600, windowMs: 60_000 }),
    shutdownTimeoutMs: readInt(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    outboxLeaseMs: readInt(env, 'OUTBOX_LEASE_SECONDS', 60, 1, 3600) * 1000,
    hipchatHttpTimeoutMs: readInt(env, 'HIPCHAT_HTTP_TIMEOUT_MS', 10_000, 100, 300_000),
    hipchatMaxCallsPerHost: readInt(env, 'HIPCHAT_MAX_CALLS_PER_HOST', 8, 1, 1000),
    roomBacklogSeconds: readInt(env, 'ROOM_BACKLOG_SECONDS', 300, 1, 86_400),
  };
  return config;
}

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const result = z.coerce.number().int().min(min).max(max).safeParse(raw);
  if (!/^\d+$/.test(raw) || !result.success) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return result.data;
}

function readIntList(env: Env, name: string, fallback: number[]): number[] {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) {
    throw new ConfigError(name, `must be a comma-separated list of seconds (got "${raw}")`);
  }
  return parts.map(Number);
}

function readEnum<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${values.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

function readBaseUrl(env: Env, port: number): string {
  const raw = read(env, 'BASE_URL') ?? `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('BASE_URL', `must be an absolute http(s) URL (got "${raw}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('BASE_URL', `must use http or https (got "${raw}")`);
  }
  if (url.search || url.hash) throw new ConfigError('BASE_URL', 'must not have a query string or fragment');
  return url.toString().replace(/\/+$/, '');
}

function readDatabaseUrl(env: Env): string | undefined {
  const raw = read(env, 'DATABASE_URL');
  if (raw === undefined) return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  return raw;
}

function readAllowedHosts(env: Env): string[] {
  const raw = read(env, 'HIPCHAT_ALLOWED_HOSTS');
  if (raw === undefined) return HIPCHAT_CLOUD_HOSTS;
  const hosts = raw.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const valid = /^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+$|^\[?[0-9a-f:.]+\]?$/;
  const bad = hosts.find((h) => !valid.test(h));
  if (hosts.length === 0 || bad !== undefined) {
    throw new ConfigError(
      'HIPCHAT_ALLOWED_HOSTS',
      `must be comma-separated host names, optionally starting with "*." (got "${bad ?? raw}")`,
    );
  }
  return hosts;
}

function readEncryptionKey(env: Env): Buffer | undefined {
  const raw = read(env, 'ENCRYPTION_KEY');
  if (raw === undefined) return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    throw new ConfigError('ENCRYPTION_KEY', 'must be 32 bytes, as 64 hex characters or base64');
  }
  return key;
}

function readSecret(env: Env, name: string): string | undefined {
  const raw = read(env, name);
  if (raw !== undefined && raw.length < 16) throw new ConfigError(name, 'must be at least 16 characters');
  return raw;
}

/** "500/300" = 500 requests per 300 seconds; fractional seconds are allowed for tests and benchmarks. */
function readRateLimit(env: Env, name: string, fallback: RateLimit): RateLimit {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const match = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(raw);
  if (!match || Number(match[1]) < 1 || Number(match[2]) <= 0) {
    throw new ConfigError(name, `must look like "500/300" (requests per seconds) (got "${raw}")`);
  }
  return { limit: Number(match[1]), windowMs: Math.round(Number(match[2]) * 1000) };
}
