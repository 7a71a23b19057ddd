import fs from 'node:fs';
import { pgliteTemplateDir, TEST_DATABASE_URL } from './test-database';

export default async function globalTeardown(): Promise<void> {
  if (!TEST_DATABASE_URL) fs.rmSync(pgliteTemplateDir(), { recursive: true, force: true });
}
