import type { BenchDatabase, DatabaseKind } from './bench-database';

export type { DatabaseKind } from './bench-database';

export const DATABASE_LABEL: Record<DatabaseKind, string> = { pglite: 'PGlite', postgres: 'Postgres' };

/** One measured figure of one item on one database; `met` is undefined when the figure has no target. */
export interface BenchRow {
  item: string;
  measure: string;
  database: DatabaseKind;
  value: string;
  target?: string;
  met?: boolean;
  note?: string;
}

/** What every item is given: the database to run on and where to record what it measured. */
export interface ItemContext {
  database: DatabaseKind;
  /** A fresh, migrated database of that kind for this item; the item drops it. */
  createDatabase(): Promise<BenchDatabase>;
  /** Postgres server URL (DATABASE_URL) when the run has one. */
  adminUrl: string | undefined;
  /** `--profile`: write CPU profiles of the add-on during load. */
  profile: boolean;
  record(row: Omit<BenchRow, 'item' | 'database'>): void;
  log(message: string): void;
  /** `--seconds=N` / `--rounds=N`: a shorter load for a trial run (items that support it). */
  load: { seconds?: number; rounds?: number };
  /** docs/benchmarks.md, for items that keep a section of their own there. */
  docsFile: string;
  /** A line printed under the table (e.g. the scaled limits an item used). */
  footnote(text: string): void;
}

export interface BenchItem {
  /** The name used to select it on the command line (`npm run bench -- webhook glance`). */
  name: string;
  title: string;
  /** Left out of a run that names no items (e.g. it installs something first). */
  onlyWhenNamed?: boolean;
  run(context: ItemContext): Promise<void>;
}
