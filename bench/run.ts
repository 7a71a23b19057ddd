import os from 'node:os';
import path from 'node:path';
import { DATABASE_LABEL, type BenchItem, type BenchRow, type DatabaseKind } from './harness/bench-row';
import { createBenchDatabase } from './harness/bench-database';
import { renderResults, writeResults } from './harness/report';
import { burstDrainItem } from './items/burst-drain-item';
import { glanceItem } from './items/glance-item';
import { jwtItem } from './items/jwt-item';
import { pairedItem } from './items/paired-item';
import { peerItem } from './items/peer-item';
import { storeScaleItem } from './items/store-scale-item';
import { tokenEconomyItem } from './items/token-economy-item';
import { webhookItem } from './items/webhook-item';

/** In the order of the table; names select them: `npm run bench -- webhook glance`. */
const ITEMS: BenchItem[] = [
  webhookItem,
  glanceItem,
  jwtItem,
  tokenEconomyItem,
  burstDrainItem,
  storeScaleItem,
  peerItem,
  pairedItem,
];

const DOCS_FILE = path.resolve(__dirname, '..', '..', 'docs', 'benchmarks.md');

interface Args {
  items: BenchItem[];
  databases: DatabaseKind[];
  profile: boolean;
  write: boolean;
  load: { seconds?: number; rounds?: number };
}

const USAGE = `Usage: npm run bench -- [item…] [--db=pglite|postgres] [--profile] [--write] [--seconds=N] [--rounds=N]
  items: ${ITEMS.map((item) => item.name).join(', ')} (default: all but ${ITEMS.filter((item) => item.onlyWhenNamed).map((item) => item.name).join(', ')})
  --db       only this database (default: PGlite, and Postgres too when DATABASE_URL is set)
  --profile  write CPU profiles of the add-on under load to dist-bench/profiles/
  --write    update docs/benchmarks.md even when only some items ran (a full run always does)
  --seconds, --rounds  a shorter load for a trial run of the peer item (default 8 s × 3 rounds)
  --variant=NAME=ENTRY [node flags]  item paired: a build to compare (repeat; default dist/server.js)`;

function numberFlag(argv: string[], name: string): number | undefined {
  const raw = argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const value = raw === undefined ? undefined : Number(raw);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

function parseArgs(argv: string[], adminUrl: string | undefined): Args {
  const names = argv.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((name) => !ITEMS.some((item) => item.name === name));
  const db = argv.find((arg) => arg.startsWith('--db='))?.slice('--db='.length);
  if (unknown.length > 0 || argv.includes('--help') || (db !== undefined && db !== 'pglite' && db !== 'postgres')) {
    console.error(USAGE);
    process.exit(unknown.length > 0 || db !== undefined ? 2 : 0);
  }
  if (db === 'postgres' && !adminUrl) {
    console.error('--db=postgres needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
    process.exit(2);
  }
  return {
    items: names.length > 0 ? ITEMS.filter((item) => names.includes(item.name)) : ITEMS.filter((item) => !item.onlyWhenNamed),
    databases: db ? [db as DatabaseKind] : adminUrl ? ['pglite', 'postgres'] : ['pglite'],
    profile: argv.includes('--profile'),
    write: argv.includes('--write') || names.length === 0,
    load: {
      ...(numberFlag(argv, 'seconds') !== undefined ? { seconds: numberFlag(argv, 'seconds') } : {}),
      ...(numberFlag(argv, 'rounds') !== undefined ? { rounds: Math.round(numberFlag(argv, 'rounds') as number) } : {}),
    },
  };
}

async function main(): Promise<void> {
  // On disk, as `npm start` keeps its database, not on the RAM disk the test kit prefers.
  process.env.HC_KIT_DIR ||= path.join(os.tmpdir(), 'hipchat-connect-bench');
  const adminUrl = process.env.DATABASE_URL?.trim() || undefined;
  const args = parseArgs(process.argv.slice(2), adminUrl);
  const rows: BenchRow[] = [];
  const footnotes = new Set<string>();
  const date = new Date();
  for (const database of args.databases) {
    const started = Date.now();
    for (const item of args.items) {
      const number = ITEMS.indexOf(item) + 1;
      const log = (message: string) => console.error(`[${DATABASE_LABEL[database]}] ${item.name}: ${message}`);
      log('running');
      const itemStarted = Date.now();
      try {
        await item.run({
          database,
          adminUrl,
          profile: args.profile,
          load: args.load,
          docsFile: DOCS_FILE,
          createDatabase: () => createBenchDatabase(database, adminUrl),
          record: (row) => rows.push({ ...row, item: `${number}. ${item.title}`, database }),
          log,
          footnote: (text) => footnotes.add(text),
        });
      } catch (error) {
        rows.push({ item: `${number}. ${item.title}`, measure: item.title, database, value: `error: ${describe(error)}` });
      }
      log(`done in ${((Date.now() - itemStarted) / 1000).toFixed(1)} s`);
    }
    console.error(`[${DATABASE_LABEL[database]}] all items in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  // Items with a section of their own (peer) print and write it themselves.
  if (rows.length === 0) return;
  const results = renderResults(rows, {
    date,
    databases: args.databases,
    items: args.items.map((item) => item.name),
    scales: [...footnotes],
  });
  console.log(results);
  if (args.write) {
    writeResults(DOCS_FILE, results);
    console.error(`Results written to ${path.relative(process.cwd(), DOCS_FILE)}`);
  } else {
    console.error('docs/benchmarks.md not updated (only some items ran; add --write to update it anyway)');
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error);
}

// A benchmark reports; it never fails the build, even when a target is missed.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`Benchmark run failed: ${describe(error)}`);
    process.exit(0);
  },
);
