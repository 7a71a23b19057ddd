import { migrate, pendingMigrations, readMigrations } from '../../src/store/migrate';
import { openDb } from '../../src/store/open-db';
import { openPgDb } from '../../src/store/pg-db';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, onPostgres, openEmptyDb } from '../helpers/test-database';

const logger = createLogger('silent');
const versions = readMigrations().map((m) => m.version);

describe('migrations', () => {
  it('leave nothing pending, and a second run applies nothing', async () => {
    const database = await createTestDatabase();
    const db = await openDb(database, logger);
    try {
      expect(await pendingMigrations(db)).toEqual([]);
      expect(await migrate(db)).toEqual([]);
    } finally {
      await db.close();
      await database.drop();
    }
  });

  it("on an empty database, the core's alone succeed and create no module's table: the core knows no module", async () => {
    const { db, drop } = await openEmptyDb();
    try {
      expect(await migrate(db)).toEqual(versions);
      const { rows } = await db.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      expect(rows.map((row) => row.table_name)).toEqual([
        'access_tokens',
        'install_probes',
        'installations',
        'outbox',
        'schema_migrations',
        'uninstall_checks',
        'used_jtis',
      ]);
      for (const migration of readMigrations()) expect(migration.sql).not.toMatch(/gateway|task/i);
    } finally {
      await drop();
    }
  });

  // PGlite is opened by one process at a time; instances starting together need Postgres.
  (onPostgres ? it : it.skip)('run by several instances at once on an empty database, apply each migration exactly once (Postgres only)', async () => {
    for (let round = 0; round < 5; round++) {
      const database = await createTestDatabase();
      const dbs = await Promise.all([1, 2, 3].map(() => openPgDb(database.databaseUrl as string, logger)));
      try {
        const applied = await Promise.all(dbs.map((db) => migrate(db)));
        expect(applied.flat().sort()).toEqual(versions);
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
        await database.drop();
      }
    }
  });
});
