import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tasksModule } from '../../src/addon/tasks-module';
import { gatewayModule } from '../../src/gateway/gateway-module';
import { moduleMigrationSets } from '../../src/hipchat/modules/assemble-modules';
import { createLogger } from '../../src/shared/logger';
import { migrate, readMigrations } from '../../src/store/migrate';
import { migrateModules, type ModuleMigrationSet } from '../../src/store/module-migrations';
import { openDb } from '../../src/store/open-db';
import type { Db } from '../../src/store/db';
import { createTestDatabase, openEmptyDb } from '../helpers/test-database';

/** The built-in modules' migrations, in the order start-up runs them (the gateway's first: Tasks references its table). */
const builtinSets = moduleMigrationSets([gatewayModule({ hookRateLimit: { limit: 1, windowMs: 1000 }, adminToken: undefined }), tasksModule()]);
const [gatewaySet, tasksSet] = builtinSets as [ModuleMigrationSet, ModuleMigrationSet];
const ALL_MODULE_VERSIONS = [
  'gateway/001_gateway',
  'gateway/002_outbox_api_hosts',
  'tasks/001_tasks',
  'tasks/002_connection_tasks',
  'tasks/003_room_lifecycle',
];

/** The shared history before modules (test/fixtures/shared-migrations-before-modules): what old databases ran. */
const OLD_HISTORY = readMigrations(path.join(__dirname, '../fixtures/shared-migrations-before-modules'));
const oldHistoryWithout = (...versions: string[]) => OLD_HISTORY.filter((m) => !versions.includes(m.version));

async function withDb(fn: (db: Db) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  const db = await openDb(database, createLogger('silent'));
  try {
    await fn(db);
  } finally {
    await db.close();
    await database.drop();
  }
}

async function withEmptyDb(fn: (db: Db) => Promise<void>): Promise<void> {
  const { db, drop } = await openEmptyDb();
  try {
    await fn(db);
  } finally {
    await drop();
  }
}

const recorded = async (db: Db) =>
  (await db.query<{ module: string; version: string }>('SELECT module, version FROM module_migrations ORDER BY module, version')).rows.map(
    (row) => `${row.module}/${row.version}`,
  );

/** What start-up does: the core's migrations, then the modules' in order. Returns what each applied. */
async function upgrade(db: Db): Promise<{ core: string[]; modules: string[] }> {
  return { core: await migrate(db), modules: await migrateModules(db, builtinSets) };
}

/** An installation, a token-connected room with a hook, a pending delivery through it and a task in it. */
async function seedGatewayRows(db: Db, options: { apiHostColumn: boolean }): Promise<void> {
  await db.query(
    `INSERT INTO installations (oauth_id, oauth_secret, group_id, room_id, capabilities_url, token_url, api_url, hipchat_base_url, scopes)
     VALUES ('old-install', 'plain:s', 1, NULL, 'http://h/c', 'http://h/t', 'http://h/v2/', 'http://h', 'send_notification')`,
  );
  await db.query(
    `INSERT INTO gateway_connections (id, oauth_id, api_url, room_id, room_name, room_token, token_hash, command_secret_hash)
     VALUES ('conn-1', 'old-install', 'https://HipChat.Example:8443/v2/', 7, 'Ops', 'plain:room-token', 'th', 'csh')`,
  );
  await db.query(
    "INSERT INTO gateway_hooks (id, secret_hash, target_kind, connection_id, room_id, label) VALUES ('hook-1', 'sh', 'room_token', 'conn-1', 7, 'CI')",
  );
  await db.query(
    `INSERT INTO outbox (id, target_kind, connection_id, room_id, room_key, operation, method, path, counts_as_message)
     VALUES ('00000000-0000-4000-8000-000000000001', 'room_token', 'conn-1', 7, 'connection:conn-1', 'room_notification', 'POST', 'room/7/notification', true)`,
  );
  if (options.apiHostColumn) {
    // What the old 007 (or enqueueing since) left: the host is known already.
    await db.query("UPDATE outbox SET api_host = 'hipchat.example:8443'");
  }
  await db.query("INSERT INTO gateway_hook_deliveries (hook_id, delivery_id) VALUES ('hook-1', '00000000-0000-4000-8000-000000000001')");
  await db.query("INSERT INTO task_counters (list_owner, room_id, last_number, connection_id) VALUES ('connection:conn-1', 7, 1, 'conn-1')");
  await db.query("INSERT INTO tasks (list_owner, room_id, number, text) VALUES ('connection:conn-1', 7, 1, 'Kept')");
}

async function gatewayRowsKept(db: Db): Promise<void> {
  const one = async (sql: string) => (await db.query<Record<string, unknown>>(sql)).rows;
  expect(await one('SELECT id, room_token, room_name FROM gateway_connections')).toEqual([{ id: 'conn-1', room_token: 'plain:room-token', room_name: 'Ops' }]);
  expect(await one('SELECT id, label FROM gateway_hooks')).toEqual([{ id: 'hook-1', label: 'CI' }]);
  expect(await one('SELECT connection_id, api_host, state FROM outbox')).toEqual([{ connection_id: 'conn-1', api_host: 'hipchat.example:8443', state: 'pending' }]);
  expect(await one('SELECT hook_id FROM gateway_hook_deliveries')).toEqual([{ hook_id: 'hook-1' }]);
  expect(await one('SELECT text FROM tasks')).toEqual([{ text: 'Kept' }]);
  // The constraints came along: deleting the connection still cascades to its hooks, deliveries and list.
  await db.query("DELETE FROM gateway_connections WHERE id = 'conn-1'");
  for (const table of ['gateway_hooks', 'gateway_hook_deliveries', 'outbox', 'task_counters', 'tasks']) {
    expect(await one(`SELECT 1 FROM ${table}`)).toEqual([]);
  }
}

/** Tables, columns, constraints and indexes, apart from the two migration histories. */
async function schemaOf(db: Db): Promise<Record<string, unknown[]>> {
  const rows = async (sql: string) => (await db.query<Record<string, unknown>>(sql)).rows;
  const history = "('schema_migrations', 'module_migrations')";
  return {
    columns: await rows(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name NOT IN ${history} ORDER BY table_name, column_name`,
    ),
    constraints: await rows(
      `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
       WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ${history} ORDER BY table_name, conname`,
    ),
    indexes: await rows(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT IN ${history} ORDER BY tablename, indexname`),
  };
}

describe("each module's own migrations", () => {
  it('on a new database, run once each and are recorded under the module; a second run applies nothing', async () => {
    await withDb(async (db) => {
      expect(await migrateModules(db, builtinSets)).toEqual(ALL_MODULE_VERSIONS);
      expect(await migrateModules(db, builtinSets)).toEqual([]);
      expect(await recorded(db)).toEqual(ALL_MODULE_VERSIONS);
      await db.query('SELECT list_owner, installation_id, connection_id FROM task_counters');
      await db.query('SELECT id, room_token FROM gateway_connections');
    });
  });

  it("leave the core's history alone: no module version is in schema_migrations", async () => {
    await withDb(async (db) => {
      await migrateModules(db, builtinSets);
      const core = (await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((row) => row.version);
      expect(core).toEqual(readMigrations().map((m) => m.version));
      expect(await migrate(db)).toEqual([]);
    });
  });

  it('run a module after the modules it builds on, or stop before running anything, saying which module to list first', async () => {
    await withDb(async (db) => {
      await expect(migrateModules(db, [tasksSet])).rejects.toThrow(
        /^The "tasks" module's migrations build on the "gateway" module's tables, and no "gateway" module is given$/,
      );
      await expect(migrateModules(db, [tasksSet, gatewaySet])).rejects.toThrow(
        /^The "tasks" module's migrations must run after the "gateway" module's: list "gateway" before "tasks"$/,
      );
      const { rows } = await db.query("SELECT table_name FROM information_schema.tables WHERE table_name IN ('tasks', 'gateway_connections', 'module_migrations')");
      expect(rows).toEqual([]);
    });
  });

  it('read only NNN_name.sql files, and record each folder under its own module', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'module-migrations-'));
    fs.writeFileSync(path.join(dir, '001_notes.sql'), 'CREATE TABLE standup_test_notes (id integer PRIMARY KEY);\n');
    fs.writeFileSync(path.join(dir, 'README.md'), 'not a migration');
    try {
      await withDb(async (db) => {
        expect(await migrateModules(db, [...builtinSets, { module: 'notes', dir }])).toEqual([...ALL_MODULE_VERSIONS, 'notes/001_notes']);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('upgrading a database built with the shared history of before (test/fixtures/shared-migrations-before-modules)', () => {
  it('from before modules (Tasks ran as 003/005, the gateway as 004): nothing runs again, the data is kept, each module records its versions', async () => {
    await withEmptyDb(async (db) => {
      await migrate(db, OLD_HISTORY);
      await seedGatewayRows(db, { apiHostColumn: true });

      // Only what was written since runs: Tasks' room lifecycle, and the gateway's guarded backfill (which finds nothing to do).
      expect(await upgrade(db)).toEqual({ core: [], modules: ['gateway/002_outbox_api_hosts', 'tasks/003_room_lifecycle'] });
      expect(await recorded(db)).toEqual(ALL_MODULE_VERSIONS);
      expect(await upgrade(db)).toEqual({ core: [], modules: [] });
      await gatewayRowsKept(db);
    });
  });

  it('from after modules, with the gateway still in the core (004_gateway): its tables are adopted, not created again', async () => {
    await withEmptyDb(async (db) => {
      await migrate(db, oldHistoryWithout('003_tasks', '005_connection_tasks'));
      // Tasks had its own folder already; it did not yet say it builds on the gateway.
      await migrateModules(db, [{ module: 'tasks', dir: tasksSet.dir }]);
      await seedGatewayRows(db, { apiHostColumn: true });

      expect(await upgrade(db)).toEqual({ core: [], modules: ['gateway/002_outbox_api_hosts'] });
      expect(await recorded(db)).toEqual(ALL_MODULE_VERSIONS);
      await gatewayRowsKept(db);
    });
  });

  it("from between 004_gateway and 007: the new 007 adds api_host, and the gateway's 002 fills it for the connections' deliveries", async () => {
    await withEmptyDb(async (db) => {
      await migrate(db, oldHistoryWithout('007_outbox_hosts_and_glances', '009_install_probes'));
      await seedGatewayRows(db, { apiHostColumn: false });

      expect(await upgrade(db)).toEqual({
        core: ['007_outbox_hosts_and_glances', '009_install_probes'],
        modules: ['gateway/002_outbox_api_hosts', 'tasks/003_room_lifecycle'],
      });
      // Were 002 adopted from 007 (which this start ran, shorter), this host would be missing.
      await gatewayRowsKept(db);
    });
  });

  it('gives the same schema as a new database', async () => {
    let upgraded: Record<string, unknown[]> = {};
    await withEmptyDb(async (db) => {
      await migrate(db, OLD_HISTORY);
      await upgrade(db);
      upgraded = await schemaOf(db);
    });
    await withEmptyDb(async (db) => {
      await upgrade(db);
      const fresh = await schemaOf(db);
      expect(fresh.columns?.length).toBeGreaterThan(50);
      expect(fresh).toEqual(upgraded);
    });
  });
});
