import type { Db } from './db';
import { MIGRATION_LOCK_ID, readMigrations, splitStatements } from './migrate';

/** One module's migrations: its key, its folder, and the shared-history versions it took over. */
export interface ModuleMigrationSet {
  module: string;
  dir: string;
  /** New version → the version it had in the shared history (schema_migrations) before modules. */
  formerVersions?: Record<string, string>;
  /** Modules whose migrations must have run first: this folder's SQL references their tables. */
  after?: string[];
}

/**
 * Applies each module's migrations not yet recorded in `module_migrations` (module, version), in the
 * order given, each in its own transaction under the same advisory lock as the core's. A migration whose
 * former version the shared history already holds (a database from before modules) is recorded as
 * applied without running it again. Returns "module/version" for each one applied.
 */
export async function migrateModules(db: Db, sets: readonly ModuleMigrationSet[]): Promise<string[]> {
  if (sets.length === 0) return [];
  assertMigrationOrder(sets);
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS module_migrations (module text NOT NULL, version text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (module, version))',
    );
  });
  const applied: string[] = [];
  for (const set of sets) {
    for (const migration of readMigrations(set.dir)) {
      const former = set.formerVersions?.[migration.version];
      const didApply = await db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
        const done = await tx.query('SELECT 1 FROM module_migrations WHERE module = $1 AND version = $2', [set.module, migration.version]);
        if (done.rowCount > 0) return false;
        const ranBefore = former !== undefined && (await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [former])).rowCount > 0;
        if (!ranBefore) for (const statement of splitStatements(migration.sql)) await tx.query(statement);
        await tx.query('INSERT INTO module_migrations (module, version) VALUES ($1, $2)', [set.module, migration.version]);
        return !ranBefore;
      });
      if (didApply) applied.push(`${set.module}/${migration.version}`);
    }
  }
  return applied;
}

/**
 * Every module a set must come `after` is given, and earlier: the sets run in the order given, and one
 * referencing a table not yet created would fail half-way (or, worse, on the next release only).
 */
export function assertMigrationOrder(sets: readonly ModuleMigrationSet[]): void {
  const position = new Map(sets.map((set, i) => [set.module, i]));
  sets.forEach((set, i) => {
    for (const needed of set.after ?? []) {
      const at = position.get(needed);
      if (at === undefined) {
        throw new Error(`The "${set.module}" module's migrations build on the "${needed}" module's tables, and no "${needed}" module is given`);
      }
      if (at > i) throw new Error(`The "${set.module}" module's migrations must run after the "${needed}" module's: list "${needed}" before "${set.module}"`);
    }
  });
}

/** "module/version" of each module migration not recorded in `module_migrations` (used by readiness checks). */
export async function pendingModuleMigrations(db: Db, sets: readonly ModuleMigrationSet[]): Promise<string[]> {
  if (sets.length === 0) return [];
  const { rows } = await db.query<{ module: string; version: string }>('SELECT module, version FROM module_migrations');
  const done = new Set(rows.map((row) => `${row.module}/${row.version}`));
  return sets.flatMap((set) => readMigrations(set.dir).map((m) => `${set.module}/${m.version}`)).filter((name) => !done.has(name));
}
