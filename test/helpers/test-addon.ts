import { startAddon, type RunningAddon } from '../../src/runtime';
import { freePort } from './free-port';
import { testConfig } from './test-config';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestAddon extends RunningAddon {
  database: TestDatabase;
  /** Stops the add-on and drops its database. */
  destroy(): Promise<void>;
}

/** The real add-on, in process, on a free loopback port with its own fresh database. */
export async function startTestAddon(
  env: Record<string, string> = {},
  database?: TestDatabase,
): Promise<TestAddon> {
  const db = database ?? (await createTestDatabase());
  const port = await freePort();
  const config = testConfig(db, { PORT: String(port), BASE_URL: `http://127.0.0.1:${port}`, ...env });
  const addon = await startAddon(config);
  return {
    ...addon,
    database: db,
    async destroy() {
      await addon.stop();
      await db.drop();
    },
  };
}
