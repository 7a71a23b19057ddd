import crypto from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { startEmulator, type Emulator, type Room, type User } from '../../src/emulator';
import { standupModule } from '../../src/examples/standup/standup-module';
import { loadConfig, startAddon, type RunningAddon } from '../../src/index';

// Only public entry points here (dependency-cruiser checks it): the core, the emulator, the example.

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A database of its own: on the Postgres server CI names (TEST_DATABASE_URL), else in-memory PGlite. */
async function database(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) return { env: { PGLITE_DIR: 'memory://' }, drop: async () => undefined };
  const name = `standup_${crypto.randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function eventually(what: string, condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 300) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the stand-up example add-on, through the HipChat emulator', () => {
  let emulator: Emulator;
  let addon: RunningAddon;
  let db: Awaited<ReturnType<typeof database>>;
  let room: Room;
  let ada: User;
  let bob: User;
  let oauthId: string;

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1' });
    room = emulator.createRoom('Dev');
    ada = emulator.createUser({ name: 'Ada Lovelace', mention_name: 'ada' });
    bob = emulator.createUser({ name: 'Bob Builder', mention_name: 'bob' });
    db = await database();
    const port = await freePort();
    const config = loadConfig({ PORT: String(port), BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'silent', HIPCHAT_ALLOWED_HOSTS: '127.0.0.1', ...db.env });
    addon = await startAddon(config, { modules: [standupModule()], addon: { key: 'io.example.standup', name: 'Stand-up' } });
    oauthId = (await emulator.install(`${addon.url}/atlassian-connect.json`)).oauthId;
    // A fresh in-memory PGlite runs initdb: slow on a busy machine (no speed is asserted here).
  }, 120_000);
  afterAll(async () => {
    await addon?.stop();
    await emulator?.close();
    await db?.drop();
  });

  it('contributes its command, event and glance to a descriptor HipChat accepts', () => {
    const capabilities = addon.descriptor.capabilities as Record<string, Array<Record<string, unknown>>>;
    expect(capabilities.webhook?.map((hook) => hook.event)).toEqual(['room_message', 'room_enter']);
    expect(capabilities.glance?.[0]).toMatchObject({ key: 'standup', queryUrl: `${addon.url}/glance/standup` });
  });

  it('/standup records an update, answers in the room and pushes the glance; /standup alone lists the day', async () => {
    const { webhooks } = await emulator.postMessage(room.id, ada.id, '/standup Shipped the release');
    expect(webhooks[0]).toMatchObject({ status: 200 });
    expect(webhooks[0]?.reply).toMatchObject({ message: 'Thanks Ada Lovelace: <b>1</b> update today.', color: 'green' });
    await eventually('the glance push', () => emulator.getGlance(oauthId, room.id, 'standup')?.source === 'push');
    expect(emulator.getGlance(oauthId, room.id, 'standup')?.content).toMatchObject({ metadata: { count: 1 } });

    const listed = await emulator.postMessage(room.id, bob.id, '/standup');
    expect(listed.webhooks[0]?.reply).toMatchObject({ message: 'Ada Lovelace: Shipped the release' });
  });

  it("the glance HipChat asks for counts the day's updates", async () => {
    const glance = await emulator.queryGlance(oauthId, room.id, bob.id, 'standup');
    expect(glance.content.label.value).toBe('<b>1</b> update today');
  });

  it('entering the room reminds someone who has not posted, once a day', async () => {
    const first = await emulator.enterRoom(room.id, bob.id);
    expect(first[0]).toMatchObject({ status: 204 });
    await emulator.waitForHistory(room.id, (item) => item.type === 'notification' && item.message.includes('@bob'));
    await emulator.enterRoom(room.id, bob.id);
    await emulator.enterRoom(room.id, ada.id); // Ada posted: no reminder
    await new Promise((resolve) => setTimeout(resolve, 300));
    const reminders = emulator.history(room.id).filter((item) => item.type === 'notification' && item.message.startsWith('Good morning'));
    expect(reminders.map((item) => item.message)).toEqual(['Good morning @bob: post your stand-up with /standup <update>.']);
  });
});
