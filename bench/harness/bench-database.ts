import { createKitDatabase } from '../../src/testing/kit-database';

export type DatabaseKind = 'pglite' | 'postgres';

/** A fresh, empty database for one item: exactly one of databaseUrl / pgliteDir is meaningful. */
export interface BenchDatabase {
  kind: DatabaseKind;
  databaseUrl: string | undefined;
  pgliteDir: string;
  /** Environment for the add-on's loadConfig (DATABASE_URL or PGLITE_DIR). */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * The test kit's databases: PGlite, a copy of one migrated template per run (removed when the run ends);
 * Postgres, a new database on the server `adminUrl` names, dropped (FORCE) afterwards.
 */
export async function createBenchDatabase(kind: DatabaseKind, adminUrl?: string): Promise<BenchDatabase> {
  if (kind === 'postgres' && !adminUrl) throw new Error('Postgres needs DATABASE_URL');
  const database = await createKitDatabase(kind === 'postgres' ? { postgres: adminUrl as string } : 'pglite');
  const env: Record<string, string> = database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : { PGLITE_DIR: database.pgliteDir };
  return { kind, ...database, env };
}
