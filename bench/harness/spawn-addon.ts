import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER_ENTRY = path.join(PROJECT_ROOT, 'dist', 'server.js');

export interface SpawnedAddon {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The node flags `npm start` gives the server (package.json's start script), so the benchmark runs it alike. */
export function startNodeFlags(): string[] {
  const start = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? '';
  const flags = /\bnode((?:\s+--\S+)*)\s+dist\/server\.js/.exec(start)?.[1];
  if (flags === undefined) throw new Error(`package.json's start script does not run node … dist/server.js: ${start}`);
  return flags.trim().split(/\s+/).filter(Boolean);
}

/**
 * `node dist/server.js` with npm start's node flags (then `extraNodeArgs`), built by `npm run build`, with
 * `env` added to this process's environment; resolves once /readyz answers 200.
 */
export async function spawnAddon(
  env: Record<string, string>,
  port: number,
  extraNodeArgs: string[] = [],
  entry: string = SERVER_ENTRY,
): Promise<SpawnedAddon> {
  // The database is `env`'s choice alone: the benchmark's own DATABASE_URL (the Postgres server) must not
  // turn a PGlite run's add-on into a Postgres one.
  const { DATABASE_URL: _url, PGLITE_DIR: _dir, ...inherited } = process.env;
  const child = spawn(process.execPath, [...startNodeFlags(), ...extraNodeArgs, entry], {
    cwd: PROJECT_ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`add-on process exited (${child.exitCode}): ${stderr.trim()}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`add-on process not ready after 30 s: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

let built = false;

/** `npm run build` once per run, so the spawned processes run the current source. */
export function buildServer(log: (message: string) => void): void {
  if (built) return;
  log('npm run build (for node dist/server.js)');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error(`${path.relative(PROJECT_ROOT, SERVER_ENTRY)} missing after the build`);
  built = true;
}
