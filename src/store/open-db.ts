import type { Logger } from '../shared/logger';
import type { Db } from './db';
import { migrate } from './migrate';
import { openPgDb } from './pg-db';
import { openPgliteDb } from './pglite-db';

export interface OpenDbOptions {
  /** A Postgres connection string; undefined = embedded PGlite in `pgliteDir`. */
  databaseUrl: string | undefined;
  pgliteDir: string;
  /** PGlite only: trade CPU per query for memory (see openPgliteDb). */
  pgliteLowMemory?: boolean;
}

/** Postgres when DATABASE_URL is set, embedded PGlite otherwise; migrated before it is returned. */
export async function openDb(options: OpenDbOptions, logger: Logger): Promise<Db> {
  const db = options.databaseUrl ? await openPgDb(options.databaseUrl, logger) : await openPgliteDb(options.pgliteDir, { lowMemory: options.pgliteLowMemory ?? false });
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
