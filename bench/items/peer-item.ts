import fs from 'node:fs';
import path from 'node:path';
import { startEmulator, type Emulator, type Room, type User } from '../../src/emulator';
import type { BenchItem, ItemContext } from '../harness/bench-row';
import { benchEnv, UNTHROTTLED } from '../harness/bench-stack';
import type { BenchDatabase } from '../harness/bench-database';
import type { AddonRequest } from '../harness/compare-with-bare';
import { probe } from '../harness/compare-with-bare';
import { freePort } from '../harness/free-port';
import { runLoad } from '../harness/load';
import { ensurePeerInstalled } from '../harness/peer-install';
import {
  PEER_END,
  PEER_START,
  renderPeerResults,
  SERVERS,
  type PairedRatios,
  type PathFigures,
  type PathResult,
  type PeerRun,
  type ServerName,
} from '../harness/peer-report';
import { readProcessUsage } from '../harness/process-usage';
import { writeSection } from '../harness/report';
import { forkBareServer, spawnPeer, type ServerProcess } from '../harness/server-process';
import { buildServer, spawnAddon, startNodeFlags } from '../harness/spawn-addon';
import { roomMessageBody } from './webhook-item';

/** The method: c=32, 8 s × 3 rounds, medians (`--seconds=` and `--rounds=` shorten a trial run). */
export const PEER_LOAD = { connections: 32, seconds: 8, rounds: 3, warmupSeconds: 1 };
const SEEDED_TASKS = 5;

interface Target {
  name: ServerName;
  server: ServerProcess;
  /** The request for each path, by path key. */
  requests: Record<PathKey, AddonRequest>;
}

export type PathKey = 'webhook' | 'glance';
export const PATHS: Array<{ key: PathKey; label: string }> = [
  { key: 'webhook', label: 'Webhook `/task list`' },
  { key: 'glance', label: 'Glance query' },
];

interface Run extends PathFigures {
  ok: number;
}

/** Every database's run so far: the section in docs/benchmarks.md holds them all. */
const runs: PeerRun[] = [];

/**
 * Item `peer`: this add-on (`node dist/server.js` with npm start's node flags), the peer add-on on atlassian-connect-express-hipchat,
 * a bare Express 4 and a bare Express 5 route, and the same Express 5 route served by this add-on's
 * `createExpressServer` (a reference without a target), each in its own process, loaded in alternating rounds.
 */
export const peerItem: BenchItem = {
  name: 'peer',
  title: 'Side by side with the peer',
  onlyWhenNamed: true,
  async run(context) {
    buildServer(context.log);
    const peer = ensurePeerInstalled(context.log);
    const load = { ...PEER_LOAD, ...context.load };
    const database = await context.createDatabase();
    const emulator = await startEmulator({ limits: UNTHROTTLED });
    const servers: ServerProcess[] = [];
    try {
      const room = emulator.createRoom('Bench');
      const user = emulator.createUser({ name: 'Bench User', mention_name: 'bench' });
      const ours = await startOurs(database);
      servers.push(ours);
      const afterStart: Partial<Record<ServerName, number>> = { ours: readProcessUsage(ours.pid)?.rssBytes ?? Number.NaN };
      const peerServer = await spawnPeer(peer.appDir, await freePort());
      servers.push(peerServer);
      afterStart.peer = readProcessUsage(peerServer.pid)?.rssBytes ?? Number.NaN;
      const ourId = await install(context, emulator, room, ours, 'this add-on');
      const peerId = await install(context, emulator, room, peerServer, 'the peer');
      // Both add-ons are installed in one room, so every `/task add` reaches both: the same five tasks.
      for (let i = 1; i <= SEEDED_TASKS; i += 1) {
        const { webhooks } = await emulator.postMessage(room.id, user.id, `/task add Benchmark task ${i}`);
        if (webhooks.length !== 2 || webhooks.some((hook) => hook.status !== 200)) {
          throw new Error(`/task add through the emulator: ${JSON.stringify(webhooks.map((hook) => [hook.url, hook.status ?? hook.error]))}`);
        }
      }
      const ourRequests = requestsFor(emulator, room, user, ours, ourId);
      const peerRequests = requestsFor(emulator, room, user, peerServer, peerId);
      const probes = await Promise.all(PATHS.map(async ({ key }) => [await probe(ourRequests[key]), await probe(peerRequests[key])] as const));
      for (const [index, [mine, theirs]] of probes.entries()) {
        const label = PATHS[index]?.label;
        if (mine.status !== 200) throw new Error(`${label}: this add-on answered ${mine.status}: ${mine.text.slice(0, 120)}`);
        if (theirs.status !== 200) throw new Error(`${label}: the peer answered ${theirs.status}: ${theirs.text.slice(0, 120)}`);
      }
      const routes = PATHS.map(({ key }, index) => ({
        method: ourRequests[key].method,
        path: new URL(ourRequests[key].url).pathname,
        answerBytes: probes[index]?.[0].bytes ?? 0,
      }));
      const express4 = await forkBareServer({ expressPath: peer.express4, routes });
      servers.push(express4);
      const express5Path = path.dirname(require.resolve('express/package.json'));
      const express5 = await forkBareServer({ expressPath: express5Path, routes });
      servers.push(express5);
      const express5served = await forkBareServer({ expressPath: express5Path, routes, appPrototypes: true });
      servers.push(express5served);
      for (const [name, server] of [['express4', express4], ['express5', express5], ['express5served', express5served]] as const) {
        afterStart[name] = readProcessUsage(server.pid)?.rssBytes ?? Number.NaN;
      }
      const bare = (server: ServerProcess): Record<PathKey, AddonRequest> =>
        Object.fromEntries(PATHS.map(({ key }) => [key, { ...ourRequests[key], url: server.url + new URL(ourRequests[key].url).pathname + new URL(ourRequests[key].url).search }])) as Record<PathKey, AddonRequest>;
      const targets: Target[] = [
        { name: 'ours', server: ours, requests: ourRequests },
        { name: 'peer', server: peerServer, requests: peerRequests },
        { name: 'express4', server: express4, requests: bare(express4) },
        { name: 'express5', server: express5, requests: bare(express5) },
        { name: 'express5served', server: express5served, requests: bare(express5served) },
      ];
      const measured = new Map<string, Run[]>();
      for (let round = 0; round < load.rounds; round += 1) {
        for (const { key, label } of PATHS) {
          // The order turns every round, so that no server always follows the same one.
          const order = targets.map((_, i) => targets[(i + round) % targets.length] as Target);
          for (const target of order) {
            const result = await measure(target.server.pid, target.requests[key], load);
            context.log(`round ${round + 1}/${load.rounds} ${label} ${target.name}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99Ms} ms, ${Math.round(result.cpuMicrosPerRequest)} µs CPU/req`);
            measured.set(`${key}:${target.name}`, [...(measured.get(`${key}:${target.name}`) ?? []), result]);
          }
        }
      }
      const paths: PathResult[] = PATHS.map(({ key, label }, index) => {
        const [mine, theirs] = probes[index] as (typeof probes)[number];
        return {
          label,
          figures: Object.fromEntries(SERVERS.map((name) => [name, medians(measured.get(`${key}:${name}`) ?? [])])) as Record<ServerName, PathFigures>,
          ratios: pairedRatios((name) => measured.get(`${key}:${name}`) ?? []),
          identical: mine.text === theirs.text,
          bytes: { ours: mine.bytes, peer: theirs.bytes },
        };
      });
      const rss = Object.fromEntries(
        targets.map(({ name, server }) => {
          const usage = readProcessUsage(server.pid);
          return [name, { afterStart: afterStart[name] ?? Number.NaN, afterLoad: usage?.rssBytes ?? Number.NaN, peak: usage?.peakRssBytes ?? Number.NaN }];
        }),
      ) as PeerRun['rss'];
      const expressVersion = (dir: string) => (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
      runs.push({
        database: context.database,
        names: {
          ours: `this add-on (\`${['node', ...startNodeFlags(), 'dist/server.js'].join(' ')}\`, as npm start runs it)`,
          peer: `peer (atlassian-connect-express-hipchat ${peer.versions['atlassian-connect-express-hipchat']}, ACE ${peer.versions['atlassian-connect-express']}, Express ${peer.versions.express})`,
          express4: `bare Express ${peer.versions.express}`,
          express5: `bare Express ${expressVersion(express5Path)}`,
          express5served: `bare Express ${expressVersion(express5Path)} served as this add-on serves its app (\`createExpressServer\`)`,
        },
        paths,
        rss,
      });
      const section = renderPeerResults(runs, { date: new Date(), rounds: load.rounds, seconds: load.seconds, warmupSeconds: load.warmupSeconds, connections: load.connections });
      console.log(section);
      writeSection(context.docsFile, PEER_START, PEER_END, section, 'Side by side with the peer (`npm run bench -- peer`)');
      context.log(`peer table written to ${path.relative(process.cwd(), context.docsFile)}`);
    } finally {
      for (const server of servers.reverse()) await server.stop();
      await emulator.close();
      await database.drop();
    }
  },
};

/** `node dist/server.js` as `npm start` runs it, on this run's database. */
async function startOurs(database: BenchDatabase): Promise<ServerProcess> {
  const port = await freePort();
  const addon = await spawnAddon(benchEnv(database, port), port);
  return { url: addon.url, pid: addon.process.pid as number, stop: () => addon.stop() };
}

/** Installs `server` into the room through the emulator's install flow; its oauthId. */
export async function install(context: ItemContext, emulator: Emulator, room: Room, server: ServerProcess, who: string): Promise<string> {
  try {
    const { oauthId } = await emulator.install(`${server.url}/atlassian-connect.json`, { roomId: room.id });
    context.log(`${who} installed (${oauthId})`);
    return oauthId;
  } catch (error) {
    throw new Error(`installing ${who} into the emulator failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The two hot requests as HipChat sends them, signed for the installation `oauthId`. */
export function requestsFor(emulator: Emulator, room: Room, user: User, server: ServerProcess, oauthId: string): Record<PathKey, AddonRequest> {
  const jwt = emulator.mintJwt(oauthId, { userId: user.id, roomId: room.id, expiresInSeconds: 3600 });
  return {
    webhook: {
      url: `${server.url}/webhooks/task`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `JWT ${jwt}` },
      body: JSON.stringify(roomMessageBody({ emulator, room, user }, oauthId, 1, '/task list')),
    },
    glance: {
      url: `${server.url}/glance/tasks?signed_request=${encodeURIComponent(jwt)}`,
      method: 'GET',
      // HipChat's client queried glances cross-origin, as the emulator does.
      headers: { accept: 'application/json', origin: emulator.url },
    },
  };
}

/** A warm-up, then the measured load, with the server process's CPU read from /proc around it. */
export async function measure(pid: number, request: AddonRequest, load: typeof PEER_LOAD): Promise<Run> {
  const options = { ...request, connections: load.connections, warmupSeconds: 0 };
  await runLoad({ ...options, durationSeconds: load.warmupSeconds });
  const before = readProcessUsage(pid);
  const result = await runLoad({ ...options, durationSeconds: load.seconds });
  const after = readProcessUsage(pid);
  const answered = result.ok + result.non2xx;
  return {
    requestsPerSecond: result.requestsPerSecond,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    cpuMicrosPerRequest: before && after && answered > 0 ? (after.cpuMicros - before.cpuMicros) / answered : Number.NaN,
    failures: result.non2xx + result.errors,
    ok: result.ok,
  };
}

export function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Ours over each other server, round by round (the lists are in round order), then the median. */
function pairedRatios(runsOf: (name: ServerName) => Run[]): PairedRatios {
  const ours = runsOf('ours');
  const over = (name: ServerName) => median(runsOf(name).map((run, round) => (ours[round]?.requestsPerSecond ?? Number.NaN) / run.requestsPerSecond));
  return { overPeer: over('peer'), overExpress5: over('express5'), overExpress5Served: over('express5served') };
}

function medians(rounds: Run[]): PathFigures {
  return {
    requestsPerSecond: median(rounds.map((run) => run.requestsPerSecond)),
    p50Ms: median(rounds.map((run) => run.p50Ms)),
    p99Ms: median(rounds.map((run) => run.p99Ms)),
    cpuMicrosPerRequest: median(rounds.map((run) => run.cpuMicrosPerRequest)),
    failures: rounds.reduce((sum, run) => sum + run.failures, 0),
  };
}
