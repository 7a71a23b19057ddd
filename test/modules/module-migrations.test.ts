import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tasksModule } from '../../src/addon/tasks-module';
import { createLogger } from '../../src/shared/logger';
import { migrate, readMigrations, splitStatements } from '../../src/store/migrate';
import { migrateModules, type ModuleMigrationSet } from '../../src/store/module-migrations';
import { openDb } from '../../src/store/open-db';
import type { Db } from '../../src/store/db';
import { createTestDatabase } from '../helpers/test-database';

const tasks = tasksModule();
const tasksSet: ModuleMigrationSet = { module: tasks.key, ...(tasks.migrations as { dir: string }) };

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

const recorded = async (db: Db) =>
  (await db.query<{ module: string; version: string }>('SELECT module, version FROM module_migrations ORDER BY module, version')).rows;

describe("each module's own migrations", () => {
  it('on a new database, run once each and are recorded under the module; a second run applies nothing', async () => {
    await withDb(async (db) => {
      expect(await migrateModules(db, [tasksSet])).toEqual(['tasks/001_tasks', 'tasks/002_connection_tasks', 'tasks/003_room_lifecycle']);
      expect(await migrateModules(db, [tasksSet])).toEqual([]);
      expect(await recorded(db)).toEqual([
        { module: 'tasks', version: '001_tasks' },
        { module: 'tasks', version: '002_connection_tasks' },
        { module: 'tasks', version: '003_room_lifecycle' },
      ]);
      await db.query('SELECT list_owner, installation_id, connection_id FROM task_counters');
    });
  });

  it('upgrade a database from before modules (Tasks ran as 003_tasks and 005_connection_tasks in the shared history) without running again, its tasks kept', async () => {
    await withDb(async (db) => {
      // The old shared history: the Tasks migrations ran there, under their old versions.
      for (const [file, version] of [['001_tasks.sql', '003_tasks'], ['002_connection_tasks.sql', '005_connection_tasks']] as const) {
        for (const statement of splitStatements(fs.readFileSync(path.join(tasksSet.dir, file), 'utf8'))) await db.query(statement);
        await db.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      }
      await db.query(
        `INSERT INTO installations (oauth_id, oauth_secret, group_id, room_id, capabilities_url, token_url, api_url, hipchat_base_url, scopes)
         VALUES ('old-install', 's', 1, NULL, 'http://h/c', 'http://h/t', 'http://h/v2/', 'http://h', 'send_notification')`,
      );
      await db.query("INSERT INTO task_counters (list_owner, room_id, last_number, installation_id) VALUES ('old-install', 1, 1, 'old-install')");
      await db.query("INSERT INTO tasks (list_owner, room_id, number, text) VALUES ('old-install', 1, 1, 'Kept')");

      // Only the migration written since modules runs.
      expect(await migrateModules(db, [tasksSet])).toEqual(['tasks/003_room_lifecycle']);
      expect(await recorded(db)).toHaveLength(3);
      expect((await db.query<{ text: string }>('SELECT text FROM tasks')).rows).toEqual([{ text: 'Kept' }]);
    });
  });

  it("leave the core's history alone: no module version is in schema_migrations", async () => {
    await withDb(async (db) => {
      await migrateModules(db, [tasksSet]);
      const core = (await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((row) => row.version);
      expect(core).toEqual(readMigrations().map((m) => m.version));
      expect(await migrate(db)).toEqual([]);
    });
  });

  it('read only NNN_name.sql files, and record each folder under its own module', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'module-migrations-'));
    fs.writeFileSync(path.join(dir, '001_notes.sql'), 'CREATE TABLE standup_test_notes (id integer PRIMARY KEY);\n');
    fs.writeFileSync(path.join(dir, 'README.md'), 'not a migration');
    try {
      await withDb(async (db) => {
        expect(await migrateModules(db, [tasksSet, { module: 'notes', dir }])).toEqual([
          'tasks/001_tasks',
          'tasks/002_connection_tasks',
          'tasks/003_room_lifecycle',
          'notes/001_notes',
        ]);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
