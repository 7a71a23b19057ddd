import { startEmulator, type Emulator, type Room, type User } from '../../src/emulator';
import { postSlashCommand } from '../helpers/post-slash-command';
import { spawnAddon, type SpawnedAddon } from '../helpers/spawn-addon';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-database';

function slashCommand(addon: SpawnedAddon, jwt: string, oauthId: string, room: Room, user: User, text: string) {
  return postSlashCommand(addon.url, jwt, oauthId, room, user, text);
}

function apiCall(addon: SpawnedAddon, jwt: string, method: string, path: string, body?: unknown) {
  return fetch(`${addon.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `JWT ${jwt}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

// PGlite is an in-process database: only one process can open it, so several instances need Postgres.
(onPostgres ? describe : describe.skip)('a replay sent to the other instance is still a replay (two processes, Postgres only)', () => {
  let database: TestDatabase;
  let emulator: Emulator;
  let room: Room;
  let ada: User;
  let a: SpawnedAddon;
  let b: SpawnedAddon;
  let oauthId: string;
  const mint = () => emulator.mintJwt(oauthId, { userId: ada.id, roomId: room.id });
  const openTasks = async () => (await (await apiCall(a, mint(), 'GET', '/api/tasks')).json()) as { tasks: Array<{ text: string }> };

  beforeAll(async () => {
    database = await createTestDatabase();
    emulator = await startEmulator();
    room = emulator.createRoom('Replays');
    // Creating hooks takes a room admin; Ada is a group admin.
    ada = emulator.createUser({ name: 'Ada', mention_name: 'ada', is_group_admin: true });
    [a, b] = await Promise.all([spawnAddon(database), spawnAddon(database)]);
    oauthId = (await emulator.install(`${a.url}/atlassian-connect.json`, { roomId: room.id })).oauthId;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
    await emulator?.close();
    await database?.drop();
  });

  it('the same signed /task add sent to one instance, then to the other, adds one task; the other answers the original reply', async () => {
    const jwt = mint();
    const first = await slashCommand(a, jwt, oauthId, room, ada, '/task add Across instances');
    expect(first.status).toBe(200);
    const firstReply = await first.json();
    const replay = await slashCommand(b, jwt, oauthId, room, ada, '/task add Across instances');
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual(firstReply);
    expect((await openTasks()).tasks.map((task) => task.text)).toEqual(['Across instances']);
  });

  it('a replayed API write sent to the other instance answers 409 replayed_request and adds nothing', async () => {
    const jwt = mint();
    expect((await apiCall(a, jwt, 'POST', '/api/tasks', { text: 'Once only' })).status).toBe(201);
    const replay = await apiCall(b, jwt, 'POST', '/api/tasks', { text: 'Once only' });
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('replayed_request');
    expect((await openTasks()).tasks.filter((task) => task.text === 'Once only')).toHaveLength(1);
  });

  it('the same signed hook creation sent to both instances at once creates one hook', async () => {
    const jwt = mint();
    const answers = await Promise.all([a, b].map((addon) => apiCall(addon, jwt, 'POST', '/api/hooks', { label: 'Twice?' })));
    expect(answers.map((res) => res.status).sort()).toEqual([201, 409]);
    const listed = (await (await apiCall(b, mint(), 'GET', '/api/hooks')).json()) as { hooks: Array<{ label: string }> };
    expect(listed.hooks.filter((hook) => hook.label === 'Twice?')).toHaveLength(1);
  });
});
