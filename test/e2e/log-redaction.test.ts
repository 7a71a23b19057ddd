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
    await eventually('the glance push', () => emulator.getGlance(installation.oauthId, room.id, 'tasks')?.source === 'push');
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
