import net from 'node:net';
import { z } from 'zod';
import type { RateLimit } from './shared/rate-limit';

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
  /** PGLITE_LOW_MEMORY: the embedded database's WebAssembly stays baseline-compiled (less RSS, more CPU per query). */
  pgliteLowMemory: boolean;
  allowedHosts: string[];
  logLevel: string;
  /** 32-byte key for AES-256-GCM encryption of secrets at rest; undefined = stored unencrypted. */
  encryptionKey: Buffer | undefined;
  /** The key being rotated away from: rows sealed with it are read and re-sealed with encryptionKey at start. */
  encryptionKeyPrevious: Buffer | undefined;
  /** Production without ENCRYPTION_KEY starts only when this is set (ALLOW_PLAINTEXT_SECRETS=true). */
  allowPlaintextSecrets: boolean;
  /** Express's `trust proxy` (TRUST_PROXY): which proxies' X-Forwarded-For is believed for the client IP. */
  trustProxy: TrustProxy;
  jwtClockSkewSeconds: number;
  adminToken: string | undefined;
  metricsToken: string | undefined;
  /** HipChat's API limit per token (Cloud: 500 per 5 minutes). */
  apiRateLimit: RateLimit;
  /** HipChat's flood control per room (Cloud: 30 messages per minute). */
  roomFloodLimit: RateLimit;
  /** Seconds after a refused uninstall at which the add-on checks again whether the OAuth client is gone. */
  uninstallRecheckSeconds: number[];
  /** Least time between two token requests that check whether one installation was uninstalled. */
  uninstallProbeIntervalSeconds: number;
  /** Requests one incoming hook may receive per window before it gets 429. */
  hookRateLimit: RateLimit;
  /** Requests per IP to endpoints reachable without a JWT (install callbacks, connect page, hooks). */
  publicRateLimit: RateLimit;
  shutdownTimeoutMs: number;
  /** How long an instance's claim on outbox work lasts; a crashed instance's work is taken over after it. */
  outboxLeaseMs: number;
  /** How long HipChat's answer to "is this user an admin" is believed: [admin, not admin], in ms. */
  roomAdminCacheMs: { adminMs: number; nonAdminMs: number };
  /** Total deadline (headers and body) of every call to HipChat: capabilities, installable, token, REST. */
  hipchatHttpTimeoutMs: number;
  /** Calls the outbox worker has in flight to one HipChat host at most, so a slow host keeps to its share. */
  hipchatMaxCallsPerHost: number;
  /** A room whose pending messages would take longer than this to pass its flood limit refuses hook posts (429). */
  roomBacklogSeconds: number;
}

/** false = trust no proxy; true = trust every hop; a number = that many hops; else addresses, subnets, or loopback/linklocal/uniquelocal. */
export type TrustProxy = boolean | number | string[];

export type { RateLimit };

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
    pgliteLowMemory: readBoolean(env, 'PGLITE_LOW_MEMORY', true),
    allowedHosts: readAllowedHosts(env),
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    encryptionKey: readEncryptionKey(env, 'ENCRYPTION_KEY'),
    encryptionKeyPrevious: readEncryptionKey(env, 'ENCRYPTION_KEY_PREVIOUS'),
    allowPlaintextSecrets: readBoolean(env, 'ALLOW_PLAINTEXT_SECRETS', false),
    trustProxy: readTrustProxy(env),
    jwtClockSkewSeconds: readInt(env, 'JWT_CLOCK_SKEW_SECONDS', 60, 0, 600),
    adminToken: readSecret(env, 'ADMIN_TOKEN'),
    metricsToken: readSecret(env, 'METRICS_TOKEN'),
    apiRateLimit: readRateLimit(env, 'HIPCHAT_RATE_LIMIT', { limit: 500, windowMs: 300_000 }),
    roomFloodLimit: readRateLimit(env, 'HIPCHAT_ROOM_FLOOD_LIMIT', { limit: 30, windowMs: 60_000 }),
    uninstallRecheckSeconds: readIntList(env, 'UNINSTALL_RECHECK_SECONDS', [30, 120, 600]),
    uninstallProbeIntervalSeconds: readSeconds(env, 'UNINSTALL_PROBE_INTERVAL_SECONDS', 60, 3600),
    // Within HipChat's room flood limit (30/min), so one steady hook alone never builds a backlog.
    hookRateLimit: readRateLimit(env, 'HOOK_RATE_LIMIT', { limit: 30, windowMs: 60_000 }),
    publicRateLimit: readRateLimit(env, 'PUBLIC_RATE_LIMIT', { limit: 600, windowMs: 60_000 }),
    shutdownTimeoutMs: readInt(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    outboxLeaseMs: readInt(env, 'OUTBOX_LEASE_SECONDS', 60, 1, 3600) * 1000,
    roomAdminCacheMs: readRoomAdminCache(env),
    hipchatHttpTimeoutMs: readInt(env, 'HIPCHAT_HTTP_TIMEOUT_MS', 10_000, 100, 300_000),
    hipchatMaxCallsPerHost: readInt(env, 'HIPCHAT_MAX_CALLS_PER_HOST', 8, 1, 1000),
    roomBacklogSeconds: readInt(env, 'ROOM_BACKLOG_SECONDS', 300, 1, 86_400),
  };
  checkSecretsAtRest(config);
  return config;
}

/** Secrets at rest are encrypted in production unless the operator opts out in so many words. */
function checkSecretsAtRest(config: Config): void {
  if (config.encryptionKeyPrevious && !config.encryptionKey) {
    throw new ConfigError('ENCRYPTION_KEY_PREVIOUS', 'needs ENCRYPTION_KEY (the new key) to be set as well');
  }
  if (config.nodeEnv === 'production' && !config.encryptionKey && !config.allowPlaintextSecrets) {
    throw new ConfigError(
      'ENCRYPTION_KEY',
      'is required when NODE_ENV=production (generate one with: openssl rand -hex 32), or set ALLOW_PLAINTEXT_SECRETS=true to store secrets unencrypted',
    );
  }
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

/** A number of seconds from 0 to `max`; fractions allowed (tests use short intervals). */
function readSeconds(env: Env, name: string, fallback: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) > max) {
    throw new ConfigError(name, `must be a number of seconds from 0 to ${max} (got "${raw}")`);
  }
  return Number(raw);
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

function readEncryptionKey(env: Env, name: string): Buffer | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(name, 'must be 32 bytes, as 64 hex characters or base64');
  }
  return key;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** Unset = no proxy is trusted, so a client cannot choose its own IP with X-Forwarded-For. */
function readTrustProxy(env: Env): TrustProxy {
  const raw = read(env, 'TRUST_PROXY');
  if (raw === undefined || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(raw)) return readInt(env, 'TRUST_PROXY', 0, 0, 100);
  const entries = raw.split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean);
  const bad = entries.find((entry) => !PROXY_NAMES.includes(entry) && !isAddressOrSubnet(entry));
  if (entries.length === 0 || bad !== undefined) {
    throw new ConfigError(
      'TRUST_PROXY',
      `must be true, false, a number of hops, or comma-separated addresses/subnets/${PROXY_NAMES.join('/')} (got "${bad ?? raw}")`,
    );
  }
  return entries;
}

function isAddressOrSubnet(entry: string): boolean {
  const [address = '', bits, extra] = entry.split('/');
  const version = net.isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
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

/** "60,30": admin answers believed 60 s, non-admin answers 30 s; at most 10 minutes, so demotions take effect. */
function readRoomAdminCache(env: Env): { adminMs: number; nonAdminMs: number } {
  const [admin, nonAdmin, ...rest] = readIntList(env, 'ROOM_ADMIN_CACHE_SECONDS', [60, 30]);
  const name = 'ROOM_ADMIN_CACHE_SECONDS';
  if (admin === undefined || nonAdmin === undefined || rest.length > 0 || admin > 600 || nonAdmin > 600) {
    throw new ConfigError(name, `must be two numbers of seconds up to 600, "admin,non-admin" (got "${read(env, name) ?? ''}")`);
  }
  return { adminMs: Math.round(admin * 1000), nonAdminMs: Math.round(nonAdmin * 1000) };
}
