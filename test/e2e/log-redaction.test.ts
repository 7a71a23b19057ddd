import net from 'node:net';
import { startEmulator, type Emulator } from '../../src/emulator';
import { eventually } from '../helpers/eventually';
import { spawnAddon, type SpawnedAddon } from '../helpers/spawn-addon';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const ADMIN_TOKEN = 'admin-token-for-the-redaction-test';

/**
 * A full run of the add-on process at the most verbose log level, through every path that handles a
 * secret, then a search of everything it wrote for each secret used. Request URLs are logged, so
 * signed_request, auth_token, hook ids and BYO command secrets in paths are the likeliest leaks.
 */
describe('logs never contain secrets (full run at LOG_LEVEL=trace)', () => {
  let database: TestDatabase;
  let emulator: Emulator;
  let addon: SpawnedAddon;

  beforeAll(async () => {
    database = await createTestDatabase();
    emulator = await startEmulator();
    addon = await spawnAddon(database, { LOG_LEVEL: 'trace', ADMIN_TOKEN });
  }, 30_000);
  afterAll(async () => {
    await addon?.stop('SIGKILL');
    await emulator?.close();
    await database?.drop();
  });

  it('redacts OAuth secrets, access tokens, JWTs, room tokens, hook ids and command secrets', async () => {
    const secrets: string[] = [];
    const room = emulator.createRoom('Secrets');
    const otherRoom = emulator.createRoom('Tokens');
    const ada = emulator.createUser({ name: 'Ada', mention_name: 'ada' });

    // Installation: oauthSecret in the install body; an access token to prove it.
    const installation = await emulator.install(`${addon.url}/atlassian-connect.json`, { roomId: room.id });
    secrets.push(installation.oauthSecret);

    // Webhooks (JWT in the Authorization header), a glance and pages (JWT in signed_request), the API.
    await emulator.postMessage(room.id, ada.id, '/task add Rotate the keys');
    await emulator.waitForHistory(room.id, (item) => item.message.startsWith('Added #1'));
    await emulator.queryGlance(installation.oauthId, room.id, ada.id, 'tasks');
    const sidebarUrl = emulator.signedUrl(installation.oauthId, { kind: 'webPanel', key: 'tasks-sidebar', roomId: room.id, userId: ada.id });
    secrets.push(new URL(sidebarUrl).searchParams.get('signed_request') as string);
    expect((await fetch(sidebarUrl)).status).toBe(200);
    const jwt = emulator.mintJwt(installation.oauthId, { userId: ada.id, roomId: room.id });
    secrets.push(jwt);
    expect((await fetch(`${addon.url}/api/tasks`, { headers: { authorization: `JWT ${jwt}` } })).status).toBe(200);
    expect((await fetch(`${addon.url}/glance/tasks?signed_request=${jwt}`)).status).toBe(200);
    // A refused token is logged (at debug) with its reason and issuer, never the token.
    const forged = `${jwt.slice(0, -4)}AAAA`;
    secrets.push(forged);
    expect((await fetch(`${addon.url}/api/tasks`, { headers: { authorization: `JWT ${forged}` } })).status).toBe(401);

    // A room connected by its notification token, a hook on it, a build-your-own command URL.
    const roomToken = emulator.createRoomNotificationToken(otherRoom.id);
    secrets.push(roomToken, ADMIN_TOKEN);
    const admin = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` };
    const connected = await fetch(`${addon.url}/api/connections`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ token: roomToken, hipchatUrl: emulator.url, room: otherRoom.id }),
    });
    expect(connected.status).toBe(201);
    const { connection, commandUrl } = (await connected.json()) as { connection: { id: string }; commandUrl: string };
    secrets.push(new URL(commandUrl).pathname.split('/')[2] as string);
    const hook = await fetch(`${addon.url}/api/hooks`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ connectionId: connection.id }),
    });
    expect(hook.status).toBe(201);
    const hookUrl = ((await hook.json()) as { url: string }).url;
    secrets.push(new URL(hookUrl).pathname.split('/')[2] as string);
    const posted = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'deploy finished' }) });
    expect(posted.status).toBe(202);
    const { deliveryId } = (await posted.json()) as { deliveryId: string };
    await eventually('the hook message in the room', () => emulator.history(otherRoom.id).some((item) => item.message === 'deploy finished'));
    expect((await fetch(`${hookUrl}/deliveries/${deliveryId}`)).status).toBe(200);
    await fetch(commandUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

    // Every access token HipChat issued to the add-on, including the ones pushes used.
    // The push may land before the glance query above, which then replaces the stored value's source:
    // HipChat's request log says whether the push arrived, whatever the order.
    await eventually('the glance push', () =>
      emulator.requests().some((r) => r.method === 'POST' && r.path.endsWith(`/addon/ui/room/${room.id}`) && r.oauthId === installation.oauthId && r.status === 204),
    );
    secrets.push(...emulator.issuedTokens());

    // Uninstall: the secret is used once more to confirm the client is gone.
    await emulator.uninstall(installation.oauthId);
    await addon.stop('SIGTERM');

    const logs = addon.output();
    expect(logs.split('\n').length).toBeGreaterThan(20); // it did log, verbosely
    // The URLs that carried secrets were logged, with the secret replaced.
    expect(logs).toContain('signed_request=[REDACTED]');
    expect(logs).toContain('/hooks/[REDACTED]');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(16);
      if (logs.includes(secret)) throw new Error(`a secret leaked into the logs: ${secret.slice(0, 6)}…`);
    }
  }, 60_000);
});

/** One request in absolute form (`POST http://host/path HTTP/1.1`), which Express routes like its path. */
function rawRequest(port: number, requestTarget: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // write, not end: a client that half-closes first may see the server drop the connection unanswered.
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        `POST ${requestTarget} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/**
 * Express routes paths without regard to case and decodes query parameter names, so a secret can reach
 * a route under a spelling a naive redaction misses. Each attack below is sent through real HTTP to the
 * add-on process; its request line must then be in the log (at trace level), with the secret gone.
 */
describe('log redaction follows Express’s normalisation (case, percent-encoding, encoded separators)', () => {
  let database: TestDatabase;
  let emulator: Emulator;
  let addon: SpawnedAddon;
  let hookSecret: string;
  let commandSecret: string;
  let roomToken: string;
  let jwt: string;
  let deliveryId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    emulator = await startEmulator();
    addon = await spawnAddon(database, { LOG_LEVEL: 'trace', ADMIN_TOKEN });
    const room = emulator.createRoom('Normalised');
    const tokenRoom = emulator.createRoom('Token');
    const ada = emulator.createUser({ name: 'Ada', mention_name: 'ada' });
    const installation = await emulator.install(`${addon.url}/atlassian-connect.json`, { roomId: room.id });
    jwt = emulator.mintJwt(installation.oauthId, { userId: ada.id, roomId: room.id });
    roomToken = emulator.createRoomNotificationToken(tokenRoom.id);
    const admin = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` };
    const connected = await fetch(`${addon.url}/api/connections`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ token: roomToken, hipchatUrl: emulator.url, room: tokenRoom.id }),
    });
    const { connection, commandUrl } = (await connected.json()) as { connection: { id: string }; commandUrl: string };
    commandSecret = new URL(commandUrl).pathname.split('/')[2] as string;
    const hook = await fetch(`${addon.url}/api/hooks`, { method: 'POST', headers: admin, body: JSON.stringify({ connectionId: connection.id }) });
    hookSecret = new URL(((await hook.json()) as { url: string }).url).pathname.split('/')[2] as string;
    const posted = await fetch(`${addon.url}/hooks/${hookSecret}`, { method: 'POST', body: JSON.stringify({ text: 'first' }) });
    deliveryId = ((await posted.json()) as { deliveryId: string }).deliveryId;
  }, 30_000);
  afterAll(async () => {
    await addon?.stop('SIGKILL');
    await emulator?.close();
    await database?.drop();
  });

  const json = { 'content-type': 'application/json' };
  const oneTimeId = 'OneTimeInstallableId0123456789abcdef';
  const attacks: Array<[string, () => Promise<number>, number | 'any', () => string]> = [
    ['a hook secret in an upper-case path (POST /HOOKS/<secret>), which Express routes', async () =>
      (await fetch(`${addon.url}/HOOKS/${hookSecret}?probe=1`, { method: 'POST', headers: json, body: '{"text":"upper"}' })).status, 202, () => hookSecret],
    ['a hook secret in a mixed-case delivery path (GET /Hooks/<secret>/deliveries/<id>)', async () =>
      (await fetch(`${addon.url}/Hooks/${hookSecret}/deliveries/${deliveryId}?probe=2`)).status, 200, () => hookSecret],
    ['a build-your-own command secret in an upper-case path (POST /BYO/<secret>/command)', async () =>
      (await fetch(`${addon.url}/BYO/${commandSecret}/command?probe=3`, { method: 'POST', headers: json, body: '{}' })).status, 'any', () => commandSecret],
    ['a JWT under a percent-encoded parameter name (?signed%5Frequest=<jwt>), which Express decodes', async () =>
      (await fetch(`${addon.url}/glance/tasks?signed%5Frequest=${jwt}&probe=4`)).status, 200, () => jwt],
    ['a JWT under an upper-case parameter name (?SIGNED_REQUEST=<jwt>)', async () =>
      (await fetch(`${addon.url}/glance/tasks?SIGNED_REQUEST=${jwt}&probe=5`)).status, 'any', () => jwt],
    ['a hook secret behind an encoded slash (/hooks%2F<secret>)', async () =>
      (await fetch(`${addon.url}/hooks%2F${hookSecret}?probe=6`, { method: 'POST', headers: json, body: '{}' })).status, 'any', () => hookSecret],
    ['a hook secret behind a percent-encoded path prefix (/%68ooks/<secret>)', async () =>
      (await fetch(`${addon.url}/%68ooks/${hookSecret}?probe=7`, { method: 'POST', headers: json, body: '{}' })).status, 'any', () => hookSecret],
    ['a room token in a percent-encoded auth_token parameter (?auth%5Ftoken=<token>)', async () =>
      (await fetch(`${addon.url}/connect?auth%5Ftoken=${roomToken}&probe=8`)).status, 200, () => roomToken],
    ['a one-time installable document URL (?installable_url=…/_installable/<id>)', async () =>
      (await fetch(`${addon.url}/installable/browser/installed?installable_url=${encodeURIComponent(`http://127.0.0.1:1/_installable/${oneTimeId}`)}&redirect_url=${encodeURIComponent('http://127.0.0.1:1/done')}&probe=9`)).status, 'any', () => oneTimeId],
    ['a hook secret in an absolute-form request line (POST http://host/HOOKS/<secret>)', async () =>
      Number((await rawRequest(addon.port, `http://127.0.0.1:${addon.port}/HOOKS/${hookSecret}?probe=10`, '{"text":"absolute"}')).split(' ')[1]), 202, () => hookSecret],
  ];

  it.each(attacks.map(([name, send, status, secret], i) => ({ name, send, status, secret, probe: i + 1 })))(
    'never logs $name',
    async ({ send, status, secret, probe }) => {
      const answered = await send();
      if (status !== 'any') expect(answered).toBe(status);
      await eventually(`the request line of probe ${probe}`, () => new RegExp(`probe=${probe}\\b`).test(addon.output()));
      const logged = addon.output().split('\n').filter((line) => new RegExp(`probe=${probe}\\b`).test(line));
      expect(logged.join('\n')).toContain('[REDACTED]');
      const leaks = addon.output().split('\n').filter((line) => line.includes(secret()));
      if (leaks.length > 0) throw new Error(`the secret leaked into the logs: ${leaks.join('\n').replaceAll(secret(), '<SECRET>')}`);
    },
  );
});
