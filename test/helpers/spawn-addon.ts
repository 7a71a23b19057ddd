import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/testing/free-port';
import type { TestDatabase } from './test-database';

const ROOT = path.resolve(__dirname, '../..');

export interface SpawnedAddon {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (its JSON log lines). */
  output(): string;
  /** SIGTERM (graceful) by default; resolves with the exit code once the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The add-on as users run it: `node dist/server.js` (built by `npm test`'s pretest) in its own
 * process, configured only through its environment, on a free loopback port.
 */
export async function spawnAddon(
  database: TestDatabase,
  env: Record<string, string> = {},
  port?: number,
): Promise<SpawnedAddon> {
  // A port chosen here can be taken by another test worker before the child listens: then try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(database, env, port ?? (await freePort()));
    } catch (error) {
      if (port !== undefined || !(error instanceof PortTakenError) || attempt >= 5) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function spawnOnce(database: TestDatabase, env: Record<string, string>, port: number): Promise<SpawnedAddon> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/server.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      BASE_URL: url,
      HIPCHAT_ALLOWED_HOSTS: '127.0.0.1,localhost',
      LOG_LEVEL: 'info',
      PUBLIC_RATE_LIMIT: '100000/60',
      PGLITE_LOW_MEMORY: 'false',
      UNINSTALL_RECHECK_SECONDS: '0.2,0.4',
      // No minimum between uninstall probes (still one at a time); tests of the bound set their own.
      UNINSTALL_PROBE_INTERVAL_SECONDS: '0',
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : { PGLITE_DIR: database.pgliteDir }),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  await waitForHealthy(url, child, () => output);
  return {
    url,
    port,
    process: child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

async function waitForHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const message = `add-on exited with ${child.exitCode}:\n${output()}`;
      throw output().includes('EADDRINUSE') ? new PortTakenError(message) : new Error(message);
    }
    // Only this child's own "listening" line proves the answer below is not another server's on that port.
    if (!output().includes('"msg":"add-on listening"')) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`add-on did not become healthy within 20 s:\n${output()}`);
}
