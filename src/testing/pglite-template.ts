import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../store/migrate';
import { openPgliteDb } from '../store/pglite-db';

/**
 * A fresh PGlite takes seconds to initialise; copying an initialised, migrated data directory takes
 * well under one. So the kit builds one template per process (or uses the one named by
 * HC_PGLITE_TEMPLATE_DIR, e.g. prepared by a jest globalSetup) and every kit copies it.
 */
export async function pgliteTemplateDir(): Promise<string> {
  const named = process.env.HC_PGLITE_TEMPLATE_DIR;
  if (named && fs.existsSync(path.join(named, 'PG_VERSION'))) return named;
  building ??= buildTemplate().finally(() => (building = undefined));
  return building;
}

let building: Promise<string> | undefined;

/** Where the kit keeps its PGlite template and databases. */
export const KIT_DIR = path.join(os.tmpdir(), 'hipchat-connect-kit');

async function buildTemplate(): Promise<string> {
  removeAbandoned();
  const dir = path.join(KIT_DIR, `pglite-template-${process.pid}-${crypto.randomBytes(3).toString('hex')}`);
  const db = await openPgliteDb(dir);
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  process.env.HC_PGLITE_TEMPLATE_DIR = dir;
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A process killed before its exit handler ran (a jest worker is, at the end of a run) leaves its template
 * and copies behind, 40 MB each; they are named by the process id, so a later kit removes those whose
 * process is gone.
 */
export function removeAbandoned(kitDir = KIT_DIR): void {
  let names: string[];
  try {
    names = fs.readdirSync(kitDir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(?:pglite-template|db)-(\d+)-/.exec(name)?.[1]);
    if (pid > 0 && !isAlive(pid)) fs.rmSync(path.join(kitDir, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * For a jest `globalSetup`: builds the template once in jest's main process, so that every test worker
 * (which inherits HC_PGLITE_TEMPLATE_DIR) copies it instead of building its own.
 */
export async function preparePgliteTemplate(): Promise<void> {
  await pgliteTemplateDir();
}
