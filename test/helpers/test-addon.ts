import type { Config } from '../../src/config';
import type { AddonModule } from '../../src/hipchat/modules/addon-module';
import { startAddon, type RunningAddon } from '../../src/runtime';
import { createLogger, type Logger } from '../../src/shared/logger';
import { freePort } from '../../src/testing/free-port';
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
  modules?: (config: Config) => AddonModule[],
): Promise<TestAddon> {
  const db = database ?? (await createTestDatabase());
  const addon = await startAddonOnFreePort(db, env, undefined, modules);
  return {
    ...addon,
    database: db,
    async destroy() {
      await addon.stop();
      await db.drop();
    },
  };
}

/**
 * The add-on's BASE_URL must name its port before it listens, so the port is chosen first; another
 * test worker can take it in between, in which case a new one is tried.
 */
export async function startAddonOnFreePort(
  db: TestDatabase,
  env: Record<string, string> = {},
  logger?: Logger,
  modules?: (config: Config) => AddonModule[],
): Promise<RunningAddon> {
  const attempts = 5;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const config = testConfig(db, { PORT: String(port), BASE_URL: `http://127.0.0.1:${port}`, ...env });
    try {
      return await startAddon(config, { logger: logger ?? createLogger(config.logLevel), ...(modules ? { modules: modules(config) } : {}) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= attempts) throw error;
    }
  }
}
