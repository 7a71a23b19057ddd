import { fork, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { BareServerOptions } from './bare-server-child';

/** A server measured from outside: where it answers and which process to read CPU and RSS from. */
export interface ServerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
}

/** Waits for the child's first IPC message, or fails with the tail of its stderr. */
function firstMessage<T>(child: ChildProcess, what: string, timeoutMs = 30_000): Promise<T> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} not ready after ${timeoutMs / 1000} s: ${stderr.trim()}`));
    }, timeoutMs);
    child.once('message', (message: T) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}): ${stderr.trim()}`));
    });
  });
}

/** Bare Express routes (bench/harness/bare-server-child.ts) in a child process. */
export async function forkBareServer(options: BareServerOptions): Promise<ServerProcess> {
  const child = fork(path.join(__dirname, 'bare-server-child.js'), { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const ready = firstMessage<{ port: number }>(child, `bare Express (${options.expressPath})`);
  child.send(options);
  const { port } = await ready;
  return { url: `http://127.0.0.1:${port}`, pid: child.pid as number, stop: stopper(child) };
}

/** The peer add-on (bench/peer/app.js, copied next to its node_modules) as a child process. */
export async function spawnPeer(appDir: string, port: number): Promise<ServerProcess> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['app.js'], {
    cwd: appDir,
    // Only what the peer reads: its NODE_ENV block of config.json, its port and its public URL.
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port), AC_LOCAL_BASE_URL: url },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  await firstMessage<{ ready: boolean }>(child, 'the peer add-on');
  return { url, pid: child.pid as number, stop: stopper(child) };
}
