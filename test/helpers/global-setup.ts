import fs from 'node:fs';
import { openPgliteDb } from '../../src/store/pglite-db';
import { migrate } from '../../src/store/migrate';
import { findChromium } from '../browser/helpers/launch-browser';
import { pgliteTemplateDir, TEST_DATABASE_URL } from './test-database';

/**
 * A fresh PGlite takes seconds to initialise; copying an initialised, migrated data directory takes
 * well under one. So the template is built once per run and every test copies it.
 */
export default async function globalSetup(): Promise<void> {
  // Unpacks the packaged Chromium once, here, rather than in two test workers racing on one file.
  await findChromium();
  if (TEST_DATABASE_URL) return;
  fs.rmSync(pgliteTemplateDir(), { recursive: true, force: true });
  const db = await openPgliteDb(pgliteTemplateDir());
  await migrate(db);
  await db.close();
}
