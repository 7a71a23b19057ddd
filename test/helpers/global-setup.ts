import fs from 'node:fs';
import { openPgliteDb } from '../../src/store/pglite-db';
import { migrate } from '../../src/store/migrate';
import { pgliteTemplateDir, TEST_DATABASE_URL } from './test-database';

/**
 * A fresh PGlite takes seconds to initialise; copying an initialised, migrated data directory takes
 * well under one. So the template is built once per run and every test copies it.
 */
export default async function globalSetup(): Promise<void> {
  if (TEST_DATABASE_URL) return;
  fs.rmSync(pgliteTemplateDir(), { recursive: true, force: true });
  const db = await openPgliteDb(pgliteTemplateDir());
  await migrate(db);
  await db.close();
}
