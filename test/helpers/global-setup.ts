import { findChromium } from '../browser/helpers/launch-browser';
import { preparePgliteTemplate } from '../../src/testing/pglite-template';
import { TEST_DATABASE_URL } from './test-database';

/**
 * Builds the migrated PGlite template once per run, here in jest's main process: the workers inherit
 * its name (HC_PGLITE_TEMPLATE_DIR) and copy it; it is removed when jest exits.
 */
export default async function globalSetup(): Promise<void> {
  // Unpacks the packaged Chromium once, here, rather than in two test workers racing on one file.
  await findChromium();
  if (!TEST_DATABASE_URL) await preparePgliteTemplate();
}
