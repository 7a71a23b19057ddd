import fs from 'node:fs';
import { summariseProfile, type CpuProfile } from '../profile/summarise-cpuprofile';
import type { ItemContext } from './bench-row';
import { startBareRoute } from './bare-express';
import { withCpuProfile } from './cpu-profile';
import { runLoad, STANDARD_LOAD, type LoadOptions, type LoadResult } from './load';
import { formatMs, formatNumber, formatPercent } from './stats';

export interface AddonRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface ComparisonOptions {
  label: string;
  request: AddonRequest;
  /** Path of the bare route (same as the add-on's, for the same routing work). */
  barePath: string;
  /** Minimum add-on / bare throughput ratio, checked on Postgres only (PGlite is reported for reference). */
  targetRatio: number;
  /** p99 bound for the add-on path, also checked on Postgres only. */
  targetP99Ms?: number;
  /** Write a CPU profile of the add-on run (bench/run `--profile`). */
  profileName?: string;
}

interface MeasuredLoad extends LoadResult {
  /** CPU time of this process (the server side) during the whole run, warm-up included. */
  cpuMicros: number;
}

/** The load, plus how much CPU this process (where the servers run) spent on it. */
async function measuredLoad(options: LoadOptions): Promise<MeasuredLoad> {
  const before = process.cpuUsage();
  const result = await runLoad(options);
  const used = process.cpuUsage(before);
  return { ...result, cpuMicros: used.user + used.system };
}

/** Server CPU per answered request; the warm-up's requests are estimated at the measured rate. */
function cpuPerRequest(load: MeasuredLoad): string {
  const requests = load.requestsPerSecond * (STANDARD_LOAD.warmupSeconds + load.durationSeconds);
  return `${formatNumber(load.cpuMicros / Math.max(1, requests))} µs CPU/req`;
}

/** Alternating add-on / bare runs; the best of each is kept. */
export const ROUNDS = 2;

/** One load run, profiled (and summarised on the log) when `profileName` is given. */
async function loadOnce(context: ItemContext, request: AddonRequest, profileName: string | undefined): Promise<MeasuredLoad> {
  const load = () => measuredLoad({ ...request, ...STANDARD_LOAD });
  if (!profileName) return load();
  const profiled = await withCpuProfile(profileName, load);
  const profile = JSON.parse(fs.readFileSync(profiled.file, 'utf8')) as CpuProfile;
  context.log(`CPU profile written to ${profiled.file}\n${summariseProfile(profile, 20)}`);
  return profiled.value;
}

/** One request to the add-on, to check it answers 200 and to learn the size of its answer. */
export async function probe(request: AddonRequest): Promise<{ status: number; bytes: number; text: string }> {
  const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
  const text = await response.text();
  return { status: response.status, bytes: Buffer.byteLength(text), text };
}

/**
 * Loads the add-on path and then a bare Express route answering as many bytes, under the same
 * autocannon settings, and records throughput, latency and their ratio.
 */
export async function compareWithBare(context: ItemContext, options: ComparisonOptions): Promise<void> {
  const first = await probe(options.request);
  if (first.status !== 200) {
    context.record({
      measure: `${options.label}: req/s`,
      value: `n/a (answered ${first.status}: ${first.text.slice(0, 80)})`,
    });
    return;
  }
  const bare = await startBareRoute(options.request.method, options.barePath, first.bytes);
  // The same request (query string, headers, body) at the bare route, which ignores all of it.
  const bareRequest = { ...options.request, url: bare.url + new URL(options.request.url).search };
  let addon: MeasuredLoad | undefined;
  let ceiling: MeasuredLoad | undefined;
  try {
    // Add-on and bare alternate, best of ROUNDS each: other work on the machine only ever slows a run down.
    for (let round = 0; round < ROUNDS; round += 1) {
      const profileName = round === 0 ? options.profileName : undefined;
      const addonRun = await loadOnce(context, options.request, profileName);
      const bareRun = await loadOnce(context, bareRequest, profileName && `${profileName}-bare`);
      if (!addon || addonRun.requestsPerSecond > addon.requestsPerSecond) addon = addonRun;
      if (!ceiling || bareRun.requestsPerSecond > ceiling.requestsPerSecond) ceiling = bareRun;
    }
  } finally {
    await bare.close();
  }
  if (!addon || !ceiling) throw new Error('no load run');
  const checked = context.database === 'postgres';
  const ratio = addon.requestsPerSecond / ceiling.requestsPerSecond;
  const failures = addon.non2xx + addon.errors;
  context.record({
    measure: `${options.label}: add-on req/s (p50 / p99)`,
    value: `${formatNumber(addon.requestsPerSecond)} (${formatMs(addon.p50Ms)} / ${formatMs(addon.p99Ms)}), ${cpuPerRequest(addon)}`,
    ...(options.targetP99Ms !== undefined
      ? { target: `p99 < ${options.targetP99Ms} ms (Postgres)`, met: checked ? addon.p99Ms < options.targetP99Ms : undefined }
      : {}),
    ...(failures > 0 ? { note: `${failures} non-2xx/errors of ${addon.ok + failures}` } : {}),
  });
  context.record({
    measure: `${options.label}: bare Express req/s (p50 / p99), ${first.bytes} B answer`,
    value: `${formatNumber(ceiling.requestsPerSecond)} (${formatMs(ceiling.p50Ms)} / ${formatMs(ceiling.p99Ms)}), ${cpuPerRequest(ceiling)}`,
  });
  context.record({
    measure: `${options.label}: add-on / bare`,
    value: formatPercent(ratio),
    target: `≥ ${formatPercent(options.targetRatio)} (Postgres)`,
    met: checked ? ratio >= options.targetRatio : undefined,
  });
}
