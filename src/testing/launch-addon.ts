import { loadConfig } from '../config';
import type { AddonIdentity } from '../hipchat/descriptor/compose-descriptor';
import type { AddonModule } from '../hipchat/modules/addon-module';
import { startAddon, type RunningAddon } from '../runtime';
import { createLogger, type Logger } from '../shared/logger';
import { freePort } from './free-port';
import type { KitDatabase } from './kit-database';

export interface LaunchOptions {
  database: KitDatabase;
  /** Environment for loadConfig, over the kit's defaults (loopback trusted, quiet logs, generous limits). */
  env?: Record<string, string>;
  logger?: Logger;
  /** The add-on modules to run (the module contract); without it, the built-in ones. */
  modules?: readonly AddonModule[];
  /** Who the add-on is (key, name…); without it, atlassian-connect.json at the project root. */
  addon?: AddonIdentity;
}

/** The kit's defaults: loopback HipChat trusted, no logs, limits no test reaches by accident. */
const KIT_ENV: Record<string, string> = {
  LOG_LEVEL: 'silent',
  HIPCHAT_ALLOWED_HOSTS: '127.0.0.1,localhost',
  UNINSTALL_RECHECK_SECONDS: '0.2,0.4',
  UNINSTALL_PROBE_INTERVAL_SECONDS: '0',
  PUBLIC_RATE_LIMIT: '100000/60',
  // A test runs many queries and never stays up: optimised WebAssembly is faster, memory is no concern.
  PGLITE_LOW_MEMORY: 'false',
};

/**
 * Starts the add-on on a free loopback port. Its BASE_URL must name the port before it listens, so the
 * port is chosen first; another process can take it in between, in which case a new one is tried.
 */
export async function launchAddon(options: LaunchOptions): Promise<RunningAddon> {
  const attempts = 5;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const config = loadConfig({
      ...KIT_ENV,
      PGLITE_DIR: options.database.pgliteDir,
      DATABASE_URL: options.database.databaseUrl,
      ...options.env,
      PORT: String(port),
      BASE_URL: `http://127.0.0.1:${port}`,
    });
    try {
      return await startAddon(config, {
        logger: options.logger ?? createLogger(config.logLevel),
        ...(options.modules !== undefined ? { modules: options.modules } : {}),
        ...(options.addon !== undefined ? { addon: options.addon } : {}),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= attempts) throw error;
    }
  }
}
