import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../../src/store/migrate';
import { openPgliteDb } from '../../src/store/pglite-db';

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

const ROOT = path.join(os.tmpdir(), 'hipchat-connect-bench', `run-${process.pid}`);
let template: Promise<string> | undefined;

/**
 * Initialising PGlite takes seconds; copying a migrated data directory well under one. So one
 * migrated template is built per run and every item gets a copy.
 */
function pgliteTemplate(): Promise<string> {
  return (template ??= (async () => {
    const dir = path.join(ROOT, 'template');
    fs.rmSync(dir, { recursive: true, force: true });
    const db = await openPgliteDb(dir);
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    return dir;
  })());
}

/**
 * PGlite: a copy of the template in a temporary directory. Postgres: a new database on the server
 * `adminUrl` names, created for this item and dropped (FORCE) afterwards; the add-on migrates it.
 */
export async function createBenchDatabase(kind: DatabaseKind, adminUrl?: string): Promise<BenchDatabase> {
  const name = `hc_bench_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  if (kind === 'postgres') {
    if (!adminUrl) throw new Error('Postgres needs DATABASE_URL');
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const databaseUrl = url.toString();
    return {
      kind,
      databaseUrl,
      pgliteDir: 'memory://',
      env: { DATABASE_URL: databaseUrl },
      drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = path.join(ROOT, name);
  fs.cpSync(await pgliteTemplate(), dir, { recursive: true });
  return {
    kind,
    databaseUrl: undefined,
    pgliteDir: dir,
    env: { PGLITE_DIR: dir },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Removes the run's PGlite template and copies. */
export function removeBenchDatabases(): void {
  fs.rmSync(ROOT, { recursive: true, force: true });
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
