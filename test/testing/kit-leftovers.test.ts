import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeAbandoned } from '../../src/testing/pglite-template';

/** The id of a process that has just exited (ids are not reused that quickly). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe("the kit's leftover databases", () => {
  it("removes the template and copies of a process killed before its exit handler ran, and keeps a live process's", () => {
    const kitDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-kit-leftovers-'));
    try {
      const dead = deadPid();
      const names = [`pglite-template-${dead}-abc123`, `db-${dead}-0011aabb`, `pglite-template-${process.pid}-def456`, `db-${process.pid}-22cc33dd`, 'not-the-kits'];
      for (const name of names) fs.mkdirSync(path.join(kitDir, name, 'base'), { recursive: true });
      removeAbandoned(kitDir);
      expect(fs.readdirSync(kitDir).sort()).toEqual([`db-${process.pid}-22cc33dd`, 'not-the-kits', `pglite-template-${process.pid}-def456`]);
    } finally {
      fs.rmSync(kitDir, { recursive: true, force: true });
    }
  });
});
