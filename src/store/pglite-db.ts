import fs from 'node:fs';
import type { PGlite as PGliteType, Transaction } from '@electric-sql/pglite';
import type { Db, Queryable } from './db';

function wrapQueryable(target: PGliteType | Transaction): Queryable {
  return {
    async query<R>(sql: string, params: unknown[] = []) {
      const result = await target.query<R>(sql, params);
      return { rows: result.rows, rowCount: Math.max(result.rows.length, result.affectedRows ?? 0) };
    },
  };
}

/**
 * Postgres' defaults size it for a dedicated server; here it runs inside this process's WASM heap, which
 * never shrinks, and PGlite's memory-mapping zero-fills (so makes resident) all of its shared memory at
 * start. The default 128 MB of shared buffers alone was most of the add-on's RSS, for a working set of a
 * few MB (the hot paths are served from the add-on's caches). One backend runs (single-user mode), so
 * the per-connection shared structures need no room for 100. Durability is PGlite's own and unchanged.
 */
export const PGLITE_SERVER_SETTINGS = ['shared_buffers=8MB', 'max_connections=10'];

/**
 * Embedded Postgres (PGlite). It is single-connection: queries queue behind each other and a
 * transaction holds the connection until it ends, which gives the same isolation guarantees our
 * SQL relies on (FOR UPDATE, advisory locks) within the one process that may open the directory.
 */
export async function openPgliteDb(dataDir: string): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, {
    startParams: [...PGlite.defaultStartParams, ...PGLITE_SERVER_SETTINGS.flatMap((setting) => ['-c', setting])],
  });
  const root = wrapQueryable(pglite);
  return {
    kind: 'pglite',
    query: root.query,
    transaction: (fn) => pglite.transaction((tx) => fn(wrapQueryable(tx))),
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    async listen(channel, onPayload) {
      const unsubscribe = await pglite.listen(channel, onPayload);
      return async () => unsubscribe();
    },
    async notify(channel, payload) {
      await pglite.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      if (!pglite.closed) await pglite.close();
    },
  };
}
