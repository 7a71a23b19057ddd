import { fork } from 'node:child_process';
import path from 'node:path';

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  /** 2xx answers per second of the measured run (errors and non-2xx do not count). */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  non2xx: number;
  errors: number;
  durationSeconds: number;
}

/** The defaults of items 1 and 2: 32 connections, 1 s warm-up, 5 s measured. */
export const STANDARD_LOAD = { connections: 32, warmupSeconds: 1, durationSeconds: 5 } as const;

/** Drives `options.url` with autocannon from a child process and resolves to the measured run's summary. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'load-child.js'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.once('message', (message: { result?: LoadResult; error?: string }) => {
      settled = true;
      if (message.result) resolve(message.result);
      else reject(new Error(`autocannon failed: ${message.error ?? 'unknown error'}`));
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`autocannon child exited with ${code}`));
    });
    child.send(options);
  });
}
