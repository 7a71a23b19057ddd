import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATABASE_LABEL, type BenchRow, type DatabaseKind } from './bench-row';

export const RESULTS_START = '<!-- bench-results:start -->';
export const RESULTS_END = '<!-- bench-results:end -->';

export interface RunInfo {
  date: Date;
  databases: DatabaseKind[];
  items: string[];
  scales: string[];
}

function cell(row: BenchRow | undefined): string {
  if (!row) return '—';
  const mark = row.met === true ? ' ✅' : row.met === false ? ' ❌ missed' : '';
  const note = row.note ? ` (${row.note})` : '';
  return `${row.value}${mark}${note}`.replace(/\|/g, '\\|');
}

/** One markdown table: a line per measure, a column per database, targets last. */
export function renderTable(rows: BenchRow[], databases: DatabaseKind[]): string {
  const keys: Array<{ item: string; measure: string }> = [];
  for (const row of rows) {
    if (!keys.some((key) => key.item === row.item && key.measure === row.measure)) keys.push(row);
  }
  const lines = [
    `| Item | Measure | ${databases.map((db) => DATABASE_LABEL[db]).join(' | ')} | Target |`,
    `|---|---|${databases.map(() => '---|').join('')}---|`,
  ];
  for (const key of keys) {
    const matching = rows.filter((row) => row.item === key.item && row.measure === key.measure);
    const target = matching.find((row) => row.target)?.target ?? '';
    const cells = databases.map((db) => cell(matching.find((row) => row.database === db)));
    lines.push(`| ${key.item} | ${key.measure.replace(/\|/g, '\\|')} | ${cells.join(' | ')} | ${target} |`);
  }
  return lines.join('\n');
}

export function renderResults(rows: BenchRow[], info: RunInfo): string {
  const cpus = os.cpus();
  return [
    `Run ${info.date.toISOString().replace(/\.\d+Z$/, 'Z')} on ${cpus[0]?.model.trim() ?? 'unknown CPU'} (${cpus.length} cores), Node ${process.version}, ${os.platform()} ${os.arch()}.`,
    `Items: ${info.items.join(', ')}. Databases: ${info.databases.map((db) => DATABASE_LABEL[db]).join(', ')}.`,
    '',
    renderTable(rows, info.databases),
    '',
    ...info.scales.map((scale) => `- ${scale}`),
  ].join('\n');
}

/** Replaces the results block of docs/benchmarks.md, keeping everything around it (method, profiles, history). */
export function writeResults(file: string, results: string): void {
  const block = `${RESULTS_START}\n${results}\n${RESULTS_END}`;
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const start = existing.indexOf(RESULTS_START);
  const end = existing.indexOf(RESULTS_END);
  const next =
    start >= 0 && end > start
      ? existing.slice(0, start) + block + existing.slice(end + RESULTS_END.length)
      : `# Benchmarks\n\n## Latest results (\`npm run bench\`)\n\n${block}\n${existing ? `\n${existing}` : ''}`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, next);
}

/** Replaces the block between `start` and `end` in `file`, or appends it as a new section titled `heading`. */
export function writeSection(file: string, start: string, end: string, content: string, heading: string): void {
  const block = `${start}\n${content}\n${end}`;
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const from = existing.indexOf(start);
  const to = existing.indexOf(end);
  const next =
    from >= 0 && to > from
      ? existing.slice(0, from) + block + existing.slice(to + end.length)
      : `${existing.trimEnd()}\n\n## ${heading}\n\n${block}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, next);
}
