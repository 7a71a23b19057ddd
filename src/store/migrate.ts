import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../shared/project-root';
import type { Db } from './db';

/** Beside this file when built (scripts/copy-assets.js copies them), else the source folder. */
export const MIGRATIONS_DIR = fs.existsSync(path.join(__dirname, 'migrations'))
  ? path.join(__dirname, 'migrations')
  : path.join(projectRoot(), 'src', 'store', 'migrations');

/** An arbitrary constant: the advisory lock that serialises migrations when instances start together. */
export const MIGRATION_LOCK_ID = 7_384_211;

export interface Migration {
  version: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: file.replace(/\.sql$/, ''), sql: fs.readFileSync(path.join(dir, file), 'utf8') }));
}

/**
 * Applies every migration not yet recorded, each in its own transaction, under an advisory lock so
 * two instances starting at once apply each migration exactly once. Returns the versions applied.
 */
export async function migrate(db: Db, migrations = readMigrations()): Promise<string[]> {
  // Under the lock too: two concurrent CREATE TABLE IF NOT EXISTS can both try to create it, and one fails.
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    const didApply = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (done.rowCount > 0) return false;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  return applied;
}

/** The versions the database lacks; empty when it is up to date (used by readiness checks). */
export async function pendingMigrations(db: Db, migrations = readMigrations()): Promise<string[]> {
  const { rows } = await db.query<{ version: string }>('SELECT version FROM schema_migrations');
  const done = new Set(rows.map((row) => row.version));
  return migrations.map((m) => m.version).filter((version) => !done.has(version));
}

/**
 * Splits a migration into statements so each runs as one parameterless query inside the transaction
 * (PGlite's extended protocol takes one statement at a time). Migrations keep to plain DDL: statements
 * end with ";" at the end of a line, and no dollar-quoted bodies.
 */
export function splitStatements(sql: string): string[] {
  return sql
    .replace(/--.*$/gm, '')
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter(Boolean);
}
