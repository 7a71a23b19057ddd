import fs from 'node:fs';
import { PGLITE_TEMPLATE_DIR, TEST_DATABASE_URL } from './test-database';

export default async function globalTeardown(): Promise<void> {
  if (!TEST_DATABASE_URL) fs.rmSync(PGLITE_TEMPLATE_DIR, { recursive: true, force: true });
}
