import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createLogger } from '../../src/shared/logger';
import type { Db } from '../../src/store/db';
import { openPgDb } from '../../src/store/pg-db';
import { openPgliteDb } from '../../src/store/pglite-db';

/**
 * Test databases. `npm test` runs on embedded PGlite; with TEST_DATABASE_URL set (CI's second pass)
 * the same tests run on a real Postgres server. Either way each test file gets a database of its own,
 * freshly created and migrated, and removes it afterwards, so tests never see each other's data.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const onPostgres = Boolean(TEST_DATABASE_URL);

/**
 * The migrated PGlite data directory prepared once per Jest run by global-setup.ts, which names it in
 * the environment so that workers of the same run find it and concurrent runs never share one.
 */
export function pgliteTemplateDir(): string {
  return (process.env.HC_PGLITE_TEMPLATE_DIR ??= path.join(
    os.tmpdir(),
    'hipchat-connect-tests',
    `pglite-template-${process.pid}-${crypto.randomBytes(3).toString('hex')}`,
  ));
}

export interface TestDatabase {
  /** For the add-on's config: exactly one of these is set. */
  databaseUrl: string | undefined;
  pgliteDir: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database: a copy of the PGlite template, or a new database on the Postgres server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `hc_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  if (TEST_DATABASE_URL) {
    await adminQuery(`CREATE DATABASE ${name}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    return {
      databaseUrl: url.toString(),
      pgliteDir: 'memory://',
      drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = path.join(os.tmpdir(), 'hipchat-connect-tests', name);
  fs.cpSync(pgliteTemplateDir(), dir, { recursive: true });
  return {
    databaseUrl: undefined,
    pgliteDir: dir,
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A database no migration has touched, opened, for building an old schema by hand (upgrade tests): a new
 * database on the Postgres server, or an in-memory PGlite. `drop` closes and removes it.
 */
export async function openEmptyDb(): Promise<{ db: Db; drop(): Promise<void> }> {
  if (!TEST_DATABASE_URL) {
    const db = await openPgliteDb('memory://');
    return { db, drop: () => db.close() };
  }
  const database = await createTestDatabase();
  const db = await openPgDb(database.databaseUrl as string, createLogger('silent'));
  return {
    db,
    drop: async () => {
      await db.close();
      await database.drop();
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
