import jwt from 'jsonwebtoken';
import { signHipChatJwt } from '../../src/emulator/driver/sign-hipchat-jwt';
import { InstallationStore } from '../../src/hipchat/installations/installation-store';
import { ReplayGuard } from '../../src/hipchat/replay/replay-guard';
import { replayKeyFor } from '../../src/hipchat/replay/replay-key';
import { UsedJtiPurgeTask } from '../../src/hipchat/replay/used-jti-purge-task';
import { createLogger } from '../../src/shared/logger';
import type { Db } from '../../src/store/db';
import { openDb } from '../../src/store/open-db';
import { SecretBox } from '../../src/store/secret-box';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { installation } from '../jwt/jwt-fixtures';

const OAUTH_ID = '5d2b3f1e-0000-4000-8000-000000000001';
const NOW = 1_800_000_000;
const SKEW = 60;

describe('replayKeyFor (pure)', () => {
  it('keeps a jti until the token stops verifying: exp plus the clock skew', () => {
    const key = replayKeyFor({ oauthId: OAUTH_ID, jti: 'j-1', expiresAt: NOW + 300 }, SKEW);
    expect(key).toEqual({ oauthId: OAUTH_ID, jti: 'j-1', keepUntil: new Date((NOW + 360) * 1000) });
  });

  it('a token without a jti cannot be remembered, so a change with it is refused (missing_jti, 401)', () => {
    expect(() => replayKeyFor({ oauthId: OAUTH_ID, jti: null, expiresAt: NOW }, SKEW)).toThrow(
      expect.objectContaining({ status: 401, code: 'missing_jti' }),
    );
  });

  it('a token that never expires is remembered until 9999 rather than failing the write', () => {
    const key = replayKeyFor({ oauthId: OAUTH_ID, jti: 'j', expiresAt: 1e20 }, SKEW);
    expect(key.keepUntil.toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });
});

describe('the emulator, like HipChat', () => {
  it('signs a fresh random jti into every JWT, so its webhooks and withToken tokens are never taken for replays', () => {
    const input = { issuer: OAUTH_ID, secret: 'secret', userId: 1, roomId: 2, issuedAt: NOW };
    const jtis = Array.from({ length: 20 }, () => (jwt.decode(signHipChatJwt(input)) as { jti?: unknown }).jti);
    expect(jtis.every((jti) => typeof jti === 'string' && jti.length > 0)).toBe(true);
    expect(new Set(jtis).size).toBe(20);
  });
});

describe('ReplayGuard and the purge of used jtis (same contract on PGlite and Postgres)', () => {
  let database: TestDatabase;
  let db: Db;
  let guard: ReplayGuard;
  const request = (jti: string, expiresAt = NOW + 300) => ({ oauthId: OAUTH_ID, jti, expiresAt });
  const count = async () => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM used_jtis')).rows[0]?.n);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDb(database, createLogger('silent'));
    await new InstallationStore(db, new SecretBox(undefined)).save(installation({ oauthId: OAUTH_ID, oauthSecret: 'secret', groupId: 1 }));
    guard = new ReplayGuard(db, { clockSkewSeconds: SKEW });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('an effect that throws leaves no record, and its jti can still be used', async () => {
    await expect(guard.once(request('fails')).transaction(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(guard.once(request('fails')).transaction(async () => 'done')).resolves.toBe('done');
    await expect(guard.once(request('fails')).transaction(async () => 'again')).rejects.toMatchObject({ status: 409, code: 'replayed_request' });
  });

  it('one request guards one transaction', async () => {
    const within = guard.once(request('single'));
    await within.transaction(async () => undefined);
    expect(() => within.transaction(async () => undefined)).toThrow('one transaction');
  });

  it('purges the jtis whose tokens have expired (plus a margin), in bounded batches, and keeps the others', async () => {
    await db.query('DELETE FROM used_jtis');
    for (let i = 0; i < 25; i++) await guard.once(request(`old-${i}`, NOW - 1000)).transaction(async () => undefined);
    await guard.once(request('live', NOW + 300)).transaction(async () => undefined);
    const purged: number[] = [];
    const task = new UsedJtiPurgeTask({
      purge: async (before, limit) => {
        const n = await guard.purgeExpired(before, limit);
        purged.push(n);
        return n;
      },
      logger: createLogger('silent'),
      marginSeconds: SKEW,
      batchSize: 2,
      now: () => NOW * 1000,
    });
    // Ten batches of two per run: the rest waits for the next run, which stops at its first short batch.
    expect(await task.runOnce()).toBe(20);
    expect(purged).toEqual(Array(10).fill(2));
    expect(await task.runOnce()).toBe(5);
    expect(purged.slice(10)).toEqual([2, 2, 1]);
    expect(await count()).toBe(1);
    await expect(guard.once(request('live', NOW + 300)).transaction(async () => undefined)).rejects.toMatchObject({ status: 409 });
  });

  it('keeps a jti a clock-skew margin past its expiry, for instances whose clocks run behind', async () => {
    await db.query('DELETE FROM used_jtis');
    await guard.once(request('just-expired', NOW - SKEW - 10)).transaction(async () => undefined); // kept until NOW - 10
    const task = new UsedJtiPurgeTask({ purge: (b, l) => guard.purgeExpired(b, l), logger: createLogger('silent'), marginSeconds: SKEW, now: () => NOW * 1000 });
    expect(await task.runOnce()).toBe(0);
    const later = new UsedJtiPurgeTask({ purge: (b, l) => guard.purgeExpired(b, l), logger: createLogger('silent'), marginSeconds: SKEW, now: () => (NOW + SKEW) * 1000 });
    expect(await later.runOnce()).toBe(1);
  });

  it('uninstalling removes the installation’s used jtis with it', async () => {
    await guard.once(request('cascade')).transaction(async () => undefined);
    await db.query('DELETE FROM installations WHERE oauth_id = $1', [OAUTH_ID]);
    expect(await count()).toBe(0);
  });
});
