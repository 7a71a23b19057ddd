import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import v8 from 'node:v8';
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

function startParams(defaults: readonly string[]): string[] {
  return [...defaults, ...PGLITE_SERVER_SETTINGS.flatMap((setting) => ['-c', setting])];
}

/**
 * V8 compiles PGlite's 9 MB of WebAssembly with its baseline compiler (Liftoff) and then recompiles the
 * hot functions with TurboFan on background threads. That second tier held 30–70 MB more RSS after the
 * benchmark's load (the optimised code, and the compilers' memory that the C allocator keeps) for about
 * 15% more CPU per database round trip without it; the server's hot paths make at most one, so the
 * server (PGLITE_LOW_MEMORY, on by default) gives it up. Test suites, which run thousands of queries
 * per process and never stay up, are faster with it and leave it off. V8 reads wasm flags when a module
 * is compiled, so setting them before PGlite compiles takes effect (heap flags such as the semi-space
 * size would not). The flag is process-wide and cannot be taken back: only PGlite compiles WebAssembly here.
 */
const LIFTOFF_ONLY = '--liftoff-only';

export interface PgliteOptions {
  /** Baseline-compiled WebAssembly only: less memory, more CPU per query (see LIFTOFF_ONLY). */
  lowMemory?: boolean;
}

const INIT_SCRIPT = `
const { PGlite } = require(process.argv[1]);
PGlite.create(process.argv[2], { startParams: JSON.parse(process.argv[3]) })
  .then((db) => db.close())
  .catch((error) => { console.error(error); process.exit(1); });
`;

/**
 * A new data directory is initialised in a short-lived child process: initdb runs in WASM instances of
 * their own (hundreds of MB) that, in this process, stayed resident until a major GC happened to run
 * (measured: 690 MB RSS after a first start, 250 MB after a later one).
 */
async function initialiseInChild(dataDir: string, params: string[]): Promise<void> {
  // initdb runs each function a few times: optimising compiles cost more than they save (4.7 s of CPU
  // instead of 8.2 s), whatever the server's own choice.
  await promisify(execFile)(process.execPath, [LIFTOFF_ONLY, '-e', INIT_SCRIPT, require.resolve('@electric-sql/pglite'), dataDir, JSON.stringify(params)], {
    maxBuffer: 1024 * 1024,
  });
}

/**
 * Embedded Postgres (PGlite). It is single-connection: queries queue behind each other and a
 * transaction holds the connection until it ends, which gives the same isolation guarantees our
 * SQL relies on (FOR UPDATE, advisory locks) within the one process that may open the directory.
 */
export async function openPgliteDb(dataDir: string, options: PgliteOptions = {}): Promise<Db> {
  if (options.lowMemory) v8.setFlagsFromString(LIFTOFF_ONLY);
  const { PGlite } = await import('@electric-sql/pglite');
  const params = startParams(PGlite.defaultStartParams);
  if (!dataDir.startsWith('memory://')) {
    fs.mkdirSync(dataDir, { recursive: true });
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initialiseInChild(dataDir, params);
  }
  const pglite = await PGlite.create(dataDir, { startParams: params });
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
