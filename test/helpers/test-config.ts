import { loadConfig, type Config } from '../../src/config';
import type { TestDatabase } from './test-database';

/** A valid add-on configuration for tests: loopback hosts trusted, quiet logs, the given database. */
export function testConfig(database: TestDatabase, overrides: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    HIPCHAT_ALLOWED_HOSTS: '127.0.0.1,localhost',
    PGLITE_DIR: database.pgliteDir,
    // Suites run thousands of queries per process: optimised WebAssembly is faster and memory is no concern.
    PGLITE_LOW_MEMORY: 'false',
    DATABASE_URL: database.databaseUrl,
    UNINSTALL_RECHECK_SECONDS: '0.2,0.4',
    // No minimum between uninstall probes (still one at a time); tests of the bound set their own.
    UNINSTALL_PROBE_INTERVAL_SECONDS: '0',
    PUBLIC_RATE_LIMIT: '100000/60',
    ...overrides,
  });
}
