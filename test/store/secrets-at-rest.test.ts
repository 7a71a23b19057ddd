import { spawn } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { startEmulator, type Emulator } from '../../src/emulator';
import { gatewayModule } from '../../src/gateway/gateway-module';
import { startAddon } from '../../src/runtime';
import { createLogger } from '../../src/shared/logger';
import type { Db } from '../../src/store/db';
import { openDb } from '../../src/store/open-db';
import { openPgDb } from '../../src/store/pg-db';
import { CORE_SEALED_COLUMNS, sealStoredSecrets } from '../../src/store/seal-stored-secrets';
import { SecretBox } from '../../src/store/secret-box';
import { freePort } from '../../src/testing/free-port';
import { eventually } from '../helpers/eventually';
import { startAddonOnFreePort } from '../helpers/test-addon';
import { testConfig } from '../helpers/test-config';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-database';

const ROOT = path.resolve(__dirname, '../..');
const ADMIN_TOKEN = 'admin-token-for-secrets-at-rest';
const KEY_A = 'a1'.repeat(32);
const KEY_B = 'b2'.repeat(32);
const KEY_C = 'c3'.repeat(32);
const WRONG = 'ee'.repeat(32);
const key = (hex: string) => Buffer.from(hex, 'hex');
/** The core's sealed columns and the gateway module's (its room tokens), as start-up seals them. */
const SEALED_COLUMNS = [...CORE_SEALED_COLUMNS, ...(gatewayModule({ hookRateLimit: { limit: 1, windowMs: 1000 }, adminToken: undefined }).sealedColumns ?? [])];

/** `node dist/server.js` with only the given environment, until it exits: its code and everything it wrote. */
function runServerToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/server.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The raw stored value of every sealed column, by "table.column". */
async function rawSecrets(db: Db): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const { table, column, key: keyColumns } of SEALED_COLUMNS) {
    const { rows } = await db.query<{ v: string }>(`SELECT ${column} AS v FROM ${table} ORDER BY ${keyColumns.join(', ')}`);
    result[`${table}.${column}`] = rows.map((row) => row.v);
  }
  return result;
}

describe('secrets at rest', () => {
  it('production without ENCRYPTION_KEY refuses to start, with one line naming ENCRYPTION_KEY', async () => {
    const { code, output } = await runServerToExit({ NODE_ENV: 'production' });
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('ENCRYPTION_KEY');
    expect(lines[0]).toContain('ALLOW_PLAINTEXT_SECRETS');
  }, 30_000);

  it('production without a key starts only with the explicit opt-out ALLOW_PLAINTEXT_SECRETS=true, and warns', async () => {
    const database = await createTestDatabase();
    let logged = '';
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((logged += chunk.toString()), done()) });
    try {
      const addon = await startAddonOnFreePort(database, { NODE_ENV: 'production', ALLOW_PLAINTEXT_SECRETS: 'true', LOG_LEVEL: 'warn' }, createLogger('warn', sink));
      await addon.stop();
      expect(logged).toContain('stored unencrypted');
    } finally {
      await database.drop();
    }
  });

  describe('with an installation, an access token and a connected room stored', () => {
    let emulator: Emulator;
    let database: TestDatabase;
    // Every run listens on the same port: the installation's webhooks point at it.
    let sameAddress: Record<string, string>;

    beforeAll(async () => {
      emulator = await startEmulator({ host: '127.0.0.1' });
      database = await createTestDatabase();
      const port = await freePort();
      sameAddress = { PORT: String(port), BASE_URL: `http://127.0.0.1:${port}` };
    });
    afterAll(async () => {
      await emulator?.close();
      await database?.drop();
    });

    /** Runs the add-on with `env` on the shared database, checks Tasks answers in the room, and stops it. */
    async function runAndUse(env: Record<string, string>, roomId: number, userId: number, text: string): Promise<void> {
      const addon = await startAddonOnFreePort(database, { ADMIN_TOKEN, ...sameAddress, ...env });
      try {
        await emulator.postMessage(roomId, userId, `/task add ${text}`);
        await emulator.waitForHistory(roomId, (item) => item.message === `Added #${text.slice(-1)}: ${text}`, 8000);
      } finally {
        await addon.stop();
      }
    }

    it('secrets stored in plain text before a key was set are sealed at start, and the add-on keeps working', async () => {
      const room = emulator.createRoom('Sealed');
      const tokenRoom = emulator.createRoom('Token room');
      const ada = emulator.createUser({ name: 'Ada', mention_name: 'ada' });

      // Before: no key (development), so every secret is written as plain:…
      const first = await startAddonOnFreePort(database, { ADMIN_TOKEN, ...sameAddress });
      try {
        await emulator.install(`${first.url}/atlassian-connect.json`, { roomId: room.id });
        await emulator.postMessage(room.id, ada.id, '/task add Task 1');
        await emulator.waitForHistory(room.id, (item) => item.message === 'Added #1: Task 1', 8000);
        // The reply is the webhook's answer; the access token is fetched (and stored) by the outbox for the
        // glance push, which may still be on its way: stopping before it left no token to check.
        await eventually('the glance push, made with a stored access token', () =>
          emulator.requests().some((r) => r.method === 'POST' && r.path.endsWith(`/addon/ui/room/${room.id}`) && r.status === 204),
        );
        await request(first.url)
          .post('/api/connections')
          .set('authorization', `Bearer ${ADMIN_TOKEN}`)
          .send({ token: emulator.createRoomNotificationToken(tokenRoom.id), hipchatUrl: emulator.url, room: tokenRoom.id })
          .expect(201);
      } finally {
        await first.stop();
      }
      const db = await openDb(database, createLogger('silent'));
      const before = await rawSecrets(db);
      await db.close();
      for (const values of Object.values(before)) {
        expect(values.length).toBeGreaterThan(0);
        for (const value of values) expect(value.startsWith('plain:')).toBe(true);
      }

      // A key is set: the start seals every one of them; the add-on still reads them (Tasks replies).
      await runAndUse({ ENCRYPTION_KEY: KEY_A }, room.id, ada.id, 'Task 2');
      const sealed = await openDb(database, createLogger('silent'));
      try {
        const after = await rawSecrets(sealed);
        const boxA = new SecretBox(key(KEY_A));
        for (const [column, values] of Object.entries(after)) {
          expect(values).toHaveLength(before[column]?.length ?? -1);
          for (const [i, value] of values.entries()) {
            expect(value).toMatch(/^v1:/);
            // The access token may have been refreshed meanwhile; the others are the same secrets, sealed.
            if (column !== 'access_tokens.access_token') expect(boxA.open(value)).toBe(before[column]?.[i]?.slice('plain:'.length));
          }
        }
        // Idempotent: another start (here, the sealing step itself) finds nothing left to seal.
        expect(await sealStoredSecrets(sealed, new SecretBox(key(KEY_A)))).toEqual({});
        expect(await rawSecrets(sealed)).toEqual(after);
      } finally {
        await sealed.close();
      }
    }, 60_000);

    it('rotation: with ENCRYPTION_KEY_PREVIOUS set to the old key, rows are read and sealed again under the new ENCRYPTION_KEY', async () => {
      const room = emulator.rooms().find((r) => r.name === 'Sealed');
      const ada = emulator.users().find((u) => u.name === 'Ada');
      if (!room || !ada) throw new Error('the previous test sets up the room');

      await runAndUse({ ENCRYPTION_KEY: KEY_B, ENCRYPTION_KEY_PREVIOUS: KEY_A }, room.id, ada.id, 'Task 3');
      const db = await openDb(database, createLogger('silent'));
      try {
        const onlyB = new SecretBox(key(KEY_B));
        const onlyA = new SecretBox(key(KEY_A));
        for (const values of Object.values(await rawSecrets(db))) {
          for (const value of values) {
            expect(onlyB.openWithKey(value).sealedWith).toBe('current');
            expect(() => onlyA.open(value)).toThrow();
          }
        }
      } finally {
        await db.close();
      }
    }, 60_000);

    it('a wrong ENCRYPTION_KEY_PREVIOUS stops start-up with a clear one-line error naming it, and changes nothing', async () => {
      const db = await openDb(database, createLogger('silent'));
      const before = await rawSecrets(db);
      await db.close();

      await expect(startAddon(testConfig(database, { ENCRYPTION_KEY: KEY_C, ENCRYPTION_KEY_PREVIOUS: WRONG }))).rejects.toThrow(
        /neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS \(1 in installations\.oauth_secret, 1 in access_tokens\.access_token, 1 in gateway_connections\.room_token\)/,
      );
      // The process as operators run it: exit code 1 and one line, no stack trace.
      const run = await runServerToExit({
        ENCRYPTION_KEY: KEY_C,
        ENCRYPTION_KEY_PREVIOUS: WRONG,
        ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : { PGLITE_DIR: database.pgliteDir }),
      });
      expect(run.code).toBe(1);
      const lines = run.output.trim().split('\n').filter((line) => !line.includes('"database migrated"'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Start-up failed: Stored secrets open with neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS/);

      const after = await openDb(database, createLogger('silent'));
      try {
        expect(await rawSecrets(after)).toEqual(before);
      } finally {
        await after.close();
      }
    }, 60_000);
  });

  it('several instances starting at once seal each plain secret exactly once', async () => {
    const database = await createTestDatabase();
    const logger = createLogger('silent');
    const seed = await openDb(database, logger);
    try {
      for (let i = 0; i < 20; i++) {
        await seed.query(
          `INSERT INTO installations (oauth_id, oauth_secret, group_id, room_id, capabilities_url, token_url, api_url, hipchat_base_url, scopes)
           VALUES ($1, $2, 1, NULL, 'http://127.0.0.1/v2/capabilities', 'http://127.0.0.1/v2/oauth/token', 'http://127.0.0.1/v2/', 'http://127.0.0.1', 'send_notification')`,
          [`oauth-${i}`, `plain:secret-number-${i}`],
        );
      }
      // PGlite is opened by one process at a time; there the three starts share one handle.
      const dbs = onPostgres ? await Promise.all([1, 2, 3].map(() => openPgDb(database.databaseUrl as string, logger))) : [seed, seed, seed];
      try {
        const box = new SecretBox(key(KEY_A));
        const counts = await Promise.all(dbs.map((db) => sealStoredSecrets(db, box)));
        expect(counts.reduce((sum, c) => sum + (c['installations.oauth_secret'] ?? 0), 0)).toBe(20);
        const { rows } = await seed.query<{ oauth_id: string; oauth_secret: string }>('SELECT oauth_id, oauth_secret FROM installations');
        for (const row of rows) expect(box.open(row.oauth_secret)).toBe(`secret-number-${row.oauth_id.slice('oauth-'.length)}`);
      } finally {
        if (onPostgres) await Promise.all(dbs.map((db) => db.close()));
      }
    } finally {
      await seed.close();
      await database.drop();
    }
  });
});
