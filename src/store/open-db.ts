import type { Config } from '../config';
import type { Logger } from '../shared/logger';
import type { Db } from './db';
import { migrate } from './migrate';
import { openPgDb } from './pg-db';
import { openPgliteDb } from './pglite-db';

/** Postgres when DATABASE_URL is set, embedded PGlite otherwise; migrated before it is returned. */
export async function openDb(config: Pick<Config, 'databaseUrl' | 'pgliteDir'>, logger: Logger): Promise<Db> {
  const db = config.databaseUrl ? await openPgDb(config.databaseUrl, logger) : await openPgliteDb(config.pgliteDir);
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
