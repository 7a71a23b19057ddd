import path from 'node:path';
import { startEmulator } from '../../src/emulator';
import type { BenchItem } from '../harness/bench-row';
import { benchEnv, UNTHROTTLED } from '../harness/bench-stack';
import type { BenchDatabase } from '../harness/bench-database';
import { probe } from '../harness/compare-with-bare';
import { freePort } from '../harness/free-port';
import { readProcessUsage } from '../harness/process-usage';
import type { ServerProcess } from '../harness/server-process';
import { buildServer, PROJECT_ROOT, SERVER_ENTRY, spawnAddon } from '../harness/spawn-addon';
import { formatBytes } from '../harness/stats';
import { install, measure, median, PATHS, PEER_LOAD, requestsFor, type PathKey } from './peer-item';

/** One build (or one set of node flags) of the add-on to compare. */
export interface Variant {
  name: string;
  entry: string;
  nodeArgs: string[];
  /** Extra environment (e.g. MALLOC_ARENA_MAX=2), from NAME=value words of the spec. */
  env: Record<string, string>;
}

/**
 * `--variant=NAME=ENTRY [node flags…]`, e.g. `--variant=before=dist-bench/ab/before/server.js` or
 * `--variant="semi1=dist/server.js --max-semi-space-size=1 MALLOC_ARENA_MAX=2"` (node flags, then
 * NAME=value words for the environment); without any, `dist/server.js` alone.
 */
export function parseVariants(argv: string[]): Variant[] {
  const variants = argv
    .filter((arg) => arg.startsWith('--variant='))
    .map((arg) => {
      const spec = arg.slice('--variant='.length);
      const eq = spec.indexOf('=');
      const [entry = '', ...words] = spec.slice(eq + 1).split(/\s+/).filter(Boolean);
      const isEnv = (word: string) => /^[A-Z_][A-Z0-9_]*=/.test(word);
      const env = Object.fromEntries(words.filter(isEnv).map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]));
      return { name: spec.slice(0, eq), entry: path.resolve(PROJECT_ROOT, entry), nodeArgs: words.filter((word) => !isEnv(word)), env };
    });
  return variants.length > 0 ? variants : [{ name: 'dist', entry: SERVER_ENTRY, nodeArgs: [], env: {} }];
}

/**
 * Item `paired` (only when named): several builds of the add-on, each `node <entry>` in its own process
 * on its own copy of the database, installed in one room with the same five tasks, loaded in
 * alternating rounds (the order turns every round). Prints CPU per request per round and the paired
 * differences against the first variant: on a shared machine that is the figure to trust.
 */
export const pairedItem: BenchItem = {
  name: 'paired',
  title: 'Paired rounds of add-on builds',
  onlyWhenNamed: true,
  async run(context) {
    const variants = parseVariants(process.argv.slice(2));
    if (variants.some((variant) => variant.entry === SERVER_ENTRY)) buildServer(context.log);
    const load = { ...PEER_LOAD, rounds: 6, seconds: 5, ...context.load };
    const emulator = await startEmulator({ limits: UNTHROTTLED });
    const servers: ServerProcess[] = [];
    const databases: BenchDatabase[] = [];
    try {
      const room = emulator.createRoom('Bench');
      const user = emulator.createUser({ name: 'Bench User', mention_name: 'bench' });
      const targets = [];
      for (const variant of variants) {
        const database = await context.createDatabase();
        databases.push(database);
        const port = await freePort();
        const addon = await spawnAddon(benchEnv(database, port, variant.env), port, variant.nodeArgs, variant.entry);
        const server = { url: addon.url, pid: addon.process.pid as number, stop: () => addon.stop() };
        servers.push(server);
        const oauthId = await install(context, emulator, room, server, variant.name);
        targets.push({ variant, server, oauthId, rssAfterStart: readProcessUsage(server.pid)?.rssBytes ?? Number.NaN });
      }
      for (let i = 1; i <= 5; i += 1) await emulator.postMessage(room.id, user.id, `/task add Benchmark task ${i}`);
      const requests = targets.map((target) => requestsFor(emulator, room, user, target.server, target.oauthId));
      for (const [index, request] of requests.entries()) {
        for (const { key } of PATHS) {
          const answer = await probe(request[key]);
          if (answer.status !== 200) throw new Error(`${targets[index]?.variant.name} ${key}: ${answer.status} ${answer.text.slice(0, 120)}`);
        }
      }
      const cpu = new Map<string, number[]>();
      for (let round = 0; round < load.rounds; round += 1) {
        for (const { key, label } of PATHS) {
          for (let i = 0; i < targets.length; i += 1) {
            const index = (i + round) % targets.length;
            const target = targets[index] as (typeof targets)[number];
            const result = await measure(target.server.pid, (requests[index] as Record<PathKey, (typeof requests)[number][PathKey]>)[key], load);
            context.log(`round ${round + 1} ${label} ${target.variant.name}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99Ms} ms, ${Math.round(result.cpuMicrosPerRequest)} µs CPU/req`);
            cpu.set(`${key}:${index}`, [...(cpu.get(`${key}:${index}`) ?? []), result.cpuMicrosPerRequest]);
          }
        }
      }
      const lines = [`| Path | Variant | µs CPU/req per round | median | paired Δ vs ${targets[0]?.variant.name} per round | median Δ |`, '|---|---|---|---|---|---|'];
      for (const { key, label } of PATHS) {
        const base = cpu.get(`${key}:0`) ?? [];
        targets.forEach((target, index) => {
          const rounds = cpu.get(`${key}:${index}`) ?? [];
          const deltas = rounds.map((value, round) => value - (base[round] ?? Number.NaN));
          const show = (values: number[]) => values.map((value) => Math.round(value)).join(', ');
          lines.push(`| ${label} | ${target.variant.name} | ${show(rounds)} | ${Math.round(median(rounds))} | ${index === 0 ? '' : show(deltas)} | ${index === 0 ? '' : Math.round(median(deltas))} |`);
        });
      }
      lines.push('', '| Variant | RSS after start | RSS after the load | peak RSS |', '|---|---|---|---|');
      for (const target of targets) {
        const usage = readProcessUsage(target.server.pid);
        lines.push(`| ${target.variant.name} | ${formatBytes(target.rssAfterStart)} | ${formatBytes(usage?.rssBytes ?? Number.NaN)} | ${formatBytes(usage?.peakRssBytes ?? Number.NaN)} |`);
      }
      console.log(`${load.rounds} paired rounds × ${load.seconds} s, c=${load.connections}, ${context.database}\n\n${lines.join('\n')}`);
    } finally {
      for (const server of servers.reverse()) await server.stop();
      await emulator.close();
      for (const database of databases) await database.drop();
    }
  },
};
