import type { Db } from '../../src/store/db';
import { NotifiedCache } from '../../src/store/notified-cache';
import { openDb } from '../../src/store/open-db';
import { createLogger } from '../../src/shared/logger';
import { eventually } from '../helpers/eventually';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-database';

describe('NotifiedCache', () => {
  let database: TestDatabase;
  let db: Db;
  let other: Db;
  const logger = createLogger('silent');

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDb(database, logger);
    // On Postgres a second pool plays a second instance; PGlite has one process, so it shares the Db.
    other = onPostgres ? await openDb(database, logger) : db;
  });
  afterAll(async () => {
    if (other !== db) await other.close();
    await db.close();
    await database.drop();
  });

  it('caches nothing before it listens, then serves repeated reads from memory', async () => {
    const cache = new NotifiedCache<number>(db, { channel: 'test_cache_a' });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('k', load)).toBe(1);
    expect(await cache.get('k', load)).toBe(2);
    await cache.start();
    expect(await cache.get('k', load)).toBe(3);
    expect(await cache.get('k', load)).toBe(3);
    await cache.stop();
  });

  it('bounds the total size of what it holds: a value larger than the bound is served but never cached', async () => {
    const cache = new NotifiedCache<number[]>(db, { channel: 'test_cache_size', sizeOf: (v) => v.length + 1, maxSize: 4 });
    await cache.start();
    let loads = 0;
    const big = async () => (loads++, [1, 2, 3, 4]);
    const small = async () => (loads++, [1]);
    await cache.get('big', big);
    await cache.get('big', big);
    expect(loads).toBe(2);
    await cache.get('small', small);
    await cache.get('small', small);
    expect(loads).toBe(3);
    await cache.stop();
  });

  it('drops a key when another instance commits a change to it, and not before', async () => {
    const cache = new NotifiedCache<string>(db, { channel: 'test_cache_b' });
    const writer = new NotifiedCache<string>(other, { channel: 'test_cache_b' });
    await cache.start();
    let value = 'old';
    expect(await cache.get('room:1', async () => value)).toBe('old');
    value = 'new';
    await expect(
      other.transaction(async (tx) => {
        await writer.invalidate('room:1', tx);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (onPostgres) expect(await cache.get('room:1', async () => value)).toBe('old');
    await other.transaction((tx) => writer.invalidate('room:1', tx));
    await eventually('the cached value to be dropped', async () => (await cache.get('room:1', async () => value)) === 'new', 1000);
    await cache.stop();
  });

  it('does not cache a load that an invalidation overtook', async () => {
    const cache = new NotifiedCache<string>(db, { channel: 'test_cache_c' });
    await cache.start();
    let release!: () => void;
    const slow = cache.get('k', () => new Promise((resolve) => (release = () => resolve('stale'))));
    cache.forget('k');
    release();
    expect(await slow).toBe('stale');
    expect(await cache.get('k', async () => 'fresh')).toBe('fresh');
    await cache.stop();
  });
});
