/**
 * Benchmark: HipChat JWT verification including the installation look-up through InstallationCache.
 *
 * Run (tsx is not installed; compile just this file's import graph into the git-ignored dist-bench/):
 *   npx tsc bench/jwt-verify.ts --outDir dist-bench --rootDir . --strict --module commonjs --target ES2022 \
 *     --esModuleInterop --skipLibCheck --resolveJsonModule && node dist-bench/bench/jwt-verify.js
 * In-memory PGlite by default; set DATABASE_URL=postgres://… to measure the cold path against Postgres.
 */
import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { InstallationCache } from '../src/hipchat/installations/installation-cache';
import { InstallationStore } from '../src/hipchat/installations/installation-store';
import { JwtVerifier } from '../src/hipchat/jwt/jwt-verifier';
import { createLogger } from '../src/shared/logger';
import type { Db } from '../src/store/db';
import { openDb } from '../src/store/open-db';
import { SecretBox } from '../src/store/secret-box';

export interface JwtVerifyBenchResult {
  /** µs per verify with the installation already cached (the common case). */
  warmUs: number;
  /** µs per verify when every request misses the cache (database read, secret decryption, new key). */
  coldUs: number;
  /** µs per bare jsonwebtoken.verify with a KeyObject in the same run: the floor, for reading the others on a noisy machine. */
  baselineUs: number;
}

export async function benchJwtVerify(
  db: Db,
  options: { warmIterations?: number; coldIterations?: number } = {},
): Promise<JwtVerifyBenchResult> {
  const store = new InstallationStore(db, new SecretBox(randomBytes(32)));
  const oauthId = randomUUID();
  const secret = randomBytes(24).toString('hex');
  await store.save({
    oauthId,
    oauthSecret: secret,
    groupId: 1,
    roomId: 42,
    capabilitiesUrl: 'https://api.hipchat.com/v2/capabilities',
    tokenUrl: 'https://api.hipchat.com/v2/oauth/token',
    apiUrl: 'https://api.hipchat.com/v2/',
    hipchatBaseUrl: 'https://www.hipchat.com',
    scopes: ['send_notification'],
  });
  const cache = new InstallationCache(store);
  await cache.start();
  try {
    const verifier = new JwtVerifier(cache, { clockSkewSeconds: 60 });
    const iat = Math.floor(Date.now() / 1000);
    const token = jwt.sign(
      { iss: oauthId, sub: '1001', iat, exp: iat + 600, jti: randomUUID(), context: { room_id: 42, user_tz: 'UTC' } },
      secret,
      { algorithm: 'HS256' },
    );
    const key = createSecretKey(Buffer.from(secret, 'utf8'));
    const bare = { verify: async (t: string) => jwt.verify(t, key, { algorithms: ['HS256'] }) };
    const warm = options.warmIterations ?? 100_000;
    await run(verifier, token, 2_000, () => undefined);
    await run(bare, token, 2_000, () => undefined);
    const warmUs = await run(verifier, token, warm, () => undefined);
    const baselineUs = await run(bare, token, warm, () => undefined);
    const coldUs = await run(verifier, token, options.coldIterations ?? 1_000, () => cache.invalidate(oauthId));
    return { warmUs, coldUs, baselineUs };
  } finally {
    await cache.stop();
    await store.delete(oauthId);
  }
}

async function run(verifier: { verify(token: string): Promise<unknown> }, token: string, iterations: number, before: () => void): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    before();
    await verifier.verify(token);
  }
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

async function main(): Promise<void> {
  const logger = createLogger('silent');
  const db = await openDb({ databaseUrl: process.env.DATABASE_URL, pgliteDir: 'memory://' }, logger);
  try {
    const { warmUs, coldUs, baselineUs } = await benchJwtVerify(db);
    console.log(`bare jsonwebtoken.verify (KeyObject): ${baselineUs.toFixed(1)} µs/op`);
    console.log(`jwt verify, cached installation: ${warmUs.toFixed(1)} µs/op (${Math.round(1e6 / warmUs)} ops/s)`);
    console.log(`jwt verify, cold cache (${db.kind}): ${coldUs.toFixed(1)} µs/op (${Math.round(1e6 / coldUs)} ops/s)`);
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
