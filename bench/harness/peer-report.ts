import os from 'node:os';
import { DATABASE_LABEL, type DatabaseKind } from './bench-row';
import { formatBytes, formatMs, formatNumber } from './stats';

export const PEER_START = '<!-- bench-peer:start -->';
export const PEER_END = '<!-- bench-peer:end -->';

/** express5served: the bare Express 5 route served as this add-on serves its app (for reference, no target). */
export type ServerName = 'ours' | 'peer' | 'express4' | 'express5' | 'express5served';
export const SERVERS: ServerName[] = ['ours', 'peer', 'express4', 'express5', 'express5served'];

/** One path's medians for one server over the rounds. */
export interface PathFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  failures: number;
}

/**
 * Our req/s over another server's, taken within each round (the two loads minutes apart at most) and
 * then the median over the rounds: a host that slows down for a round slows both sides of its ratio.
 */
export interface PairedRatios {
  overPeer: number;
  overExpress5: number;
  overExpress5Served: number;
}

export interface PathResult {
  label: string;
  figures: Record<ServerName, PathFigures>;
  ratios: PairedRatios;
  /** Our answer and the peer's, compared byte for byte. */
  identical: boolean;
  bytes: { ours: number; peer: number };
}

export interface PeerRun {
  database: DatabaseKind;
  names: Record<ServerName, string>;
  paths: PathResult[];
  rss: Record<ServerName, { afterStart: number; afterLoad: number; peak: number }>;
}

export interface PeerRunInfo {
  date: Date;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

/** Targets of issue 17, checked here and only here (never by a timed test). */
export const PEER_TARGETS = { overPeer: 1.5, overExpress5: 0.7, p99Ms: 15, embeddedRssBytes: 200 * 1024 * 1024 } as const;

function mark(met: boolean): string {
  return met ? '✅' : '❌';
}

function ratio(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

function cpu(value: number): string {
  return Number.isFinite(value) ? formatNumber(value) : 'n/a';
}

function renderRun(run: PeerRun): string[] {
  const lines = [
    `### ${DATABASE_LABEL[run.database]} (this add-on's database; the peer keeps its installations in its memory store)`,
    '',
    '| Path | Server | req/s | p50 | p99 | µs CPU/req |',
    '|---|---|---|---|---|---|',
  ];
  for (const path of run.paths) {
    for (const server of SERVERS) {
      const f = path.figures[server];
      const failures = f.failures > 0 ? ` (${formatNumber(f.failures)} non-2xx/errors)` : '';
      lines.push(
        `| ${server === 'ours' ? path.label : ''} | ${run.names[server]} | ${formatNumber(f.requestsPerSecond)}${failures} | ${formatMs(f.p50Ms)} | ${formatMs(f.p99Ms)} | ${cpu(f.cpuMicrosPerRequest)} |`,
      );
    }
  }
  lines.push(
    '',
    `| Path | ours ÷ peer (≥ ${PEER_TARGETS.overPeer}) | ours ÷ bare Express 5 (≥ ${PEER_TARGETS.overExpress5}) | our p99 (≤ ${PEER_TARGETS.p99Ms} ms) | CPU/req ours ÷ peer | ours ÷ bare Express 5 served as ours (reference) | replies |`,
    '|---|---|---|---|---|---|---|',
  );
  for (const path of run.paths) {
    const { ours, peer, express5 } = path.figures;
    const { overPeer, overExpress5: overBare, overExpress5Served } = path.ratios;
    const replies = path.identical
      ? `byte-identical (${path.bytes.ours} B)`
      : `**differ** (ours ${path.bytes.ours} B, peer ${path.bytes.peer} B)`;
    lines.push(
      `| ${path.label} | ${ratio(overPeer)} ${mark(overPeer >= PEER_TARGETS.overPeer)} | ${ratio(overBare)} ${mark(overBare >= PEER_TARGETS.overExpress5)} | ${formatMs(ours.p99Ms)} ${mark(ours.p99Ms <= PEER_TARGETS.p99Ms)} (bare Express 5: ${formatMs(express5.p99Ms)}) | ${ratio(ours.cpuMicrosPerRequest / peer.cpuMicrosPerRequest)} | ${ratio(overExpress5Served)} | ${replies} |`,
    );
  }
  lines.push('', '| Process | RSS after start | RSS after the load | peak RSS |', '|---|---|---|---|');
  for (const server of SERVERS) {
    const rss = run.rss[server];
    const target =
      server === 'ours' && run.database === 'pglite'
        ? ` ${mark(rss.afterLoad <= PEER_TARGETS.embeddedRssBytes)} (≤ ${formatBytes(PEER_TARGETS.embeddedRssBytes)}, embedded default)`
        : '';
    lines.push(`| ${run.names[server]} | ${formatBytes(rss.afterStart)} | ${formatBytes(rss.afterLoad)}${target} | ${formatBytes(rss.peak)} |`);
  }
  return lines;
}

/** The section `npm run bench -- peer` prints and writes between its markers in docs/benchmarks.md. */
export function renderPeerResults(runs: PeerRun[], info: PeerRunInfo): string {
  const cpus = os.cpus();
  return [
    `Run ${info.date.toISOString().replace(/\.\d+Z$/, 'Z')} on ${cpus[0]?.model.trim() ?? 'unknown CPU'} (${cpus.length} cores), Node ${process.version}, load average ${os.loadavg()[0]?.toFixed(1)} at the end; ` +
      `${info.rounds} alternating rounds × ${info.seconds} s (after ${info.warmupSeconds} s of warm-up each), ${info.connections} connections, medians; ratios are the median of each round's ratio.`,
    '',
    ...runs.flatMap((run) => [...renderRun(run), '']),
  ].join('\n');
}
