import { createLogger } from '../../src/shared/logger';
import type { Db } from '../../src/store/db';
import { openPgDb } from '../../src/store/pg-db';
import { openPgliteDb } from '../../src/store/pglite-db';
import { copyPgliteDir, createKitDatabase, type KitDatabase } from '../../src/testing/kit-database';
import { initialisePgliteDir } from '../../src/testing/pglite-template';

/**
 * Test databases. `npm test` runs on embedded PGlite; with TEST_DATABASE_URL set (CI's second pass)
 * the same tests run on a real Postgres server. Either way each test file gets a database of its own,
 * freshly created and migrated, and removes it afterwards, so tests never see each other's data.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const onPostgres = Boolean(TEST_DATABASE_URL);

/** For the add-on's config: exactly one of databaseUrl / pgliteDir is meaningful. */
export type TestDatabase = KitDatabase;

/**
 * A fresh database of the test's own: a copy of the migrated PGlite template (prepared once per jest run
 * by global-setup.ts), or a new database on the Postgres server. The test kit's own, so this project's
 * tests and an add-on author's get their databases the same way.
 */
export function createTestDatabase(): Promise<TestDatabase> {
  return createKitDatabase();
}

/**
 * A database no migration has touched, opened, for building an old schema by hand (upgrade tests): a new
 * database on the Postgres server, or a copy of an initialised, unmigrated PGlite directory. `drop`
 * closes and removes it.
 */
export async function openEmptyDb(): Promise<{ db: Db; drop(): Promise<void> }> {
  const database = TEST_DATABASE_URL ? await createTestDatabase() : copyPgliteDir(await emptyPgliteTemplate());
  const db = database.databaseUrl ? await openPgDb(database.databaseUrl, createLogger('silent')) : await openPgliteDb(database.pgliteDir);
  return {
    db,
    drop: async () => {
      await db.close();
      await database.drop();
    },
  };
}

let emptyTemplate: Promise<string> | undefined;

/** Made once per process: initdb takes seconds, a copy does not. */
function emptyPgliteTemplate(): Promise<string> {
  return (emptyTemplate ??= initialisePgliteDir());
}
