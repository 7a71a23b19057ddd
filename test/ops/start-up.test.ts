import net from 'node:net';
import pg from 'pg';
import { startAddon } from '../../src/runtime';
import { testConfig } from '../helpers/test-config';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

describe('start-up', () => {
  let database: TestDatabase;
  let blocker: net.Server;

  beforeAll(async () => {
    database = await createTestDatabase();
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
    await database.drop();
  });

  it('on a taken port fails with EADDRINUSE and leaves no database connection open behind it', async () => {
    const port = (blocker.address() as net.AddressInfo).port;
    await expect(startAddon(testConfig(database, { PORT: String(port) }))).rejects.toMatchObject({ code: 'EADDRINUSE' });
    if (database.databaseUrl) {
      const client = new pg.Client({ connectionString: database.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        expect(rows[0]?.n).toBe(0);
      } finally {
        await client.end();
      }
    }
    // The same database (on PGlite, the same data directory) opens again at once.
    const addon = await startAddon(testConfig(database));
    await addon.stop();
  });
});
