import pg from 'pg';
import type { Db } from '../../src/store/db';
import { openDb } from '../../src/store/open-db';
import { createLogger } from '../../src/shared/logger';
import { eventually } from '../helpers/eventually';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-database';

/** Db.listen/notify, which the caches use to hear of other instances' changes. */
describe('LISTEN and NOTIFY', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDb(database, createLogger('silent'));
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  // First in the file, so that the listening connection is still being opened when the second subscriber asks.
  it('a second subscriber to a channel whose LISTEN is still on its way is live when its promise settles', async () => {
    const heard: string[] = [];
    const first = db.listen('test_late', (payload) => heard.push(`first:${payload}`));
    await db.listen('test_late', (payload) => heard.push(`second:${payload}`));
    await db.notify('test_late', 'x');
    await first;
    await eventually('both subscribers to hear', () => heard.length === 2, 5_000);
    expect([...heard].sort()).toEqual(['first:x', 'second:x']);
  });

  it('subscribes to many channels at once, sending no statement on a connection while another runs there', async () => {
    const busiest = onPostgres ? countConcurrentQueries() : undefined;
    try {
      const heard: string[] = [];
      const names = ['one', 'two', 'two', 'three', 'four', 'five'];
      const unsubscribes = await Promise.all(
        names.map((name, i) => db.listen(`test_${name}`, (payload) => heard.push(`${i}:${payload}`))),
      );
      for (const name of new Set(names)) await db.notify(`test_${name}`, name);
      await eventually('every subscriber to hear its channel', () => heard.length === names.length, 5_000);
      expect([...heard].sort()).toEqual(['0:one', '1:two', '2:two', '3:three', '4:four', '5:five']);

      await unsubscribes[1]!();
      heard.length = 0;
      await db.notify('test_two', 'again');
      await eventually('the remaining subscriber to hear', () => heard.length > 0, 5_000);
      expect(heard).toEqual(['2:again']);
      if (busiest) expect(busiest.most()).toBe(1);
    } finally {
      busiest?.restore();
    }
  });
});

/** Watches pg's clients: the most queries one client was ever given before the previous one settled. */
function countConcurrentQueries(): { most(): number; restore(): void } {
  const original = pg.Client.prototype.query;
  const running = new WeakMap<object, number>();
  let most = 0;
  const watched = function (this: pg.Client, ...args: unknown[]) {
    const now = (running.get(this) ?? 0) + 1;
    running.set(this, now);
    most = Math.max(most, now);
    const settled = () => running.set(this, (running.get(this) ?? 1) - 1);
    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) result.then(settled, settled);
    else settled();
    return result;
  };
  pg.Client.prototype.query = watched as typeof original;
  return { most: () => most, restore: () => void (pg.Client.prototype.query = original) };
}
