import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { kitDir, pgliteTemplateDir } from './pglite-template';

/** Which database the add-on under test gets; by default a fresh one of its own (see createKitDatabase). */
export type KitDatabaseOption =
  /** Embedded PGlite in a fresh temporary directory (the default without TEST_DATABASE_URL). */
  | 'pglite'
  /** A new database on this Postgres server (the admin URL), dropped at stop (the default with TEST_DATABASE_URL). */
  | { postgres: string }
  /** Exactly this database, kept at stop: a DATABASE_URL or a PGlite directory. */
  | { url: string }
  | { pgliteDir: string };

export interface KitDatabase {
  /** For the add-on's config: a Postgres URL, or undefined for PGlite in pgliteDir. */
  databaseUrl: string | undefined;
  pgliteDir: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one kit: PGlite by default, Postgres when TEST_DATABASE_URL is set. */
export async function createKitDatabase(option?: KitDatabaseOption): Promise<KitDatabase> {
  const chosen = option ?? (process.env.TEST_DATABASE_URL ? { postgres: process.env.TEST_DATABASE_URL } : 'pglite');
  if (chosen === 'pglite') return freshPglite();
  if ('postgres' in chosen) return freshPostgres(chosen.postgres);
  if ('url' in chosen) return { databaseUrl: chosen.url, pgliteDir: 'memory://', drop: async () => {} };
  return { databaseUrl: undefined, pgliteDir: chosen.pgliteDir, drop: async () => {} };
}

async function freshPglite(): Promise<KitDatabase> {
  return copyPgliteDir(await pgliteTemplateDir());
}

/** A copy of the PGlite directory `template` in the kit's folder, removed by `drop`. */
export function copyPgliteDir(template: string): KitDatabase {
  const dir = path.join(kitDir(), `db-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  fs.cpSync(template, dir, { recursive: true });
  return { databaseUrl: undefined, pgliteDir: dir, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function freshPostgres(adminUrl: string): Promise<KitDatabase> {
  const name = `hc_kit_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    pgliteDir: 'memory://',
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
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
