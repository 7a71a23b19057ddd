import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPgliteDb } from '../../src/store/pglite-db';
import { createTestDatabase, onPostgres } from '../helpers/test-database';

// The embedded database's memory is held by its WASM heap, where Postgres' server defaults (128 MB of
// shared buffers) were resident in full; the add-on's RSS depends on these settings staying small.
(onPostgres ? describe.skip : describe)('embedded database (PGlite)', () => {
  it('runs with 8 MB of shared buffers, not the 128 MB Postgres sizes for a server', async () => {
    const database = await createTestDatabase();
    const db = await openPgliteDb(database.pgliteDir);
    try {
      const settings = await db.query<{ name: string; setting: string; unit: string | null }>(
        "SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'max_connections') ORDER BY name",
      );
      expect(settings.rows).toEqual([
        { name: 'max_connections', setting: '10', unit: null },
        { name: 'shared_buffers', setting: '1024', unit: '8kB' },
      ]);
    } finally {
      await db.close();
      await database.drop();
    }
  });

  it('creates a new data directory (initdb in a child process) and opens it with the same small settings', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-pglite-new-'));
    try {
      const db = await openPgliteDb(path.join(dir, 'data'));
      try {
        expect(fs.existsSync(path.join(dir, 'data', 'PG_VERSION'))).toBe(true);
        expect((await db.query<{ shared_buffers: string }>('SHOW shared_buffers')).rows).toEqual([{ shared_buffers: '8MB' }]);
      } finally {
        await db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a committed write across a reopen of the same directory', async () => {
    const database = await createTestDatabase();
    try {
      const first = await openPgliteDb(database.pgliteDir);
      await first.transaction(async (tx) => {
        await tx.query('CREATE TABLE kept (id int PRIMARY KEY)');
        await tx.query('INSERT INTO kept VALUES (1)');
      });
      await first.close();
      const second = await openPgliteDb(database.pgliteDir);
      try {
        expect((await second.query<{ id: number }>('SELECT id FROM kept')).rows).toEqual([{ id: 1 }]);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  });
});
