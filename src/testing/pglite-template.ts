import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../store/db';
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

/** Room a RAM disk must have free to hold the kit's databases (about 40 MB each, a few at a time). */
const RAM_DISK_ROOM = 2 * 1024 ** 3;
const TMPFS_MAGIC = 0x01021994;

/**
 * Where the kit keeps its PGlite template and databases: HC_KIT_DIR if set, else /dev/shm when it is a RAM
 * disk with room (each database is a 40 MB copy of the template, and on a disk those writes were a third
 * of this project's suite time), else the temporary directory.
 */
export function kitDir(): string {
  return process.env.HC_KIT_DIR || path.join(isRamDiskWithRoom('/dev/shm', RAM_DISK_ROOM) ? '/dev/shm' : os.tmpdir(), 'hipchat-connect-kit');
}

function isRamDiskWithRoom(dir: string, bytes: number): boolean {
  try {
    const stats = fs.statfsSync(dir);
    return stats.type === TMPFS_MAGIC && stats.bavail * stats.bsize >= bytes;
  } catch {
    return false;
  }
}

async function buildTemplate(): Promise<string> {
  const dir = await initialisePgliteDir(migrate);
  process.env.HC_PGLITE_TEMPLATE_DIR = dir;
  return dir;
}

/**
 * A new PGlite directory in the kit's folder (initdb: seconds), prepared by `prepare` and removed when this
 * process exits; a template to copy.
 */
export async function initialisePgliteDir(prepare: (db: Db) => Promise<unknown> = async () => {}): Promise<string> {
  removeAbandoned();
  const dir = path.join(kitDir(), `pglite-template-${process.pid}-${crypto.randomBytes(3).toString('hex')}`);
  const db = await openPgliteDb(dir);
  try {
    await prepare(db);
  } finally {
    await db.close();
  }
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A process killed before its exit handler ran (a jest worker is, at the end of a run) leaves its template
 * and copies behind, 40 MB each; they are named by the process id, so a later kit removes those whose
 * process is gone.
 */
export function removeAbandoned(dir = kitDir()): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(?:pglite-template|db)-(\d+)-/.exec(name)?.[1]);
    if (pid > 0 && !isAlive(pid)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
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
