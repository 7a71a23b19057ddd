import autocannon from 'autocannon';
import type { LoadOptions, LoadResult } from './load';

/**
 * Runs in a child process so that the load generator never shares an event loop (or a core) with
 * the server it measures: a warm-up run, then the measured one, summarised back over IPC.
 */
async function run(options: LoadOptions): Promise<LoadResult> {
  const base = {
    url: options.url,
    method: options.method,
    headers: options.headers,
    body: options.body,
    connections: options.connections,
  };
  if (options.warmupSeconds > 0) await autocannon({ ...base, duration: options.warmupSeconds });
  const result = await autocannon({ ...base, duration: options.durationSeconds });
  const ok = result['2xx'];
  return {
    requestsPerSecond: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    durationSeconds: result.duration,
  };
}

process.once('message', (options: LoadOptions) => {
  run(options).then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ error: String(error) }, () => process.exit(1)),
  );
});
