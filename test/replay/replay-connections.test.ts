import request from 'supertest';
import type { Emulator, Room, User } from '../../src/emulator';
import type { RunningAddon } from '../../src/runtime';
import { startTestKit, type TestKit } from '../../src/testing';
import { countRows, ENCRYPTION_KEY } from '../gateway/gateway-fixtures';

let kit: TestKit;
let emulator: Emulator;
let addon: RunningAddon;
let room: Room;
let ada: User;
let oauthId: string;

beforeAll(async () => {
  kit = await startTestKit({ env: { ENCRYPTION_KEY } });
  ({ emulator, addon } = kit);
  room = emulator.createRoom('Connected');
  // Connecting rooms takes a room admin; Ada is a group admin.
  ada = emulator.createUser({ name: 'Ada', mention_name: 'ada', is_group_admin: true });
  oauthId = (await emulator.install(`${addon.url}/atlassian-connect.json`, { roomId: room.id })).oauthId;
}, 30_000);

afterAll(() => kit?.stop());

describe('connections made from a configuration page change something once per signed request', () => {
  it('a replayed connect answers 409 replayed_request, stores nothing more and posts no second proof into the room', async () => {
    const jwt = { Authorization: `JWT ${emulator.mintJwt(oauthId, { userId: ada.id, roomId: room.id })}` };
    const body = { token: emulator.createRoomNotificationToken(room.id), hipchatUrl: emulator.url, room: room.id };
    const proofs = () => emulator.history(room.id).filter((item) => item.message.startsWith('Connected to')).length;
    const connected = await request(addon.url).post('/api/connections').set(jwt).send(body).expect(201);
    expect(proofs()).toBe(1);

    // Another token for the room would be a new connection: only the jti tells this one apart.
    const replay = await request(addon.url)
      .post('/api/connections')
      .set(jwt)
      .send({ ...body, token: emulator.createRoomNotificationToken(room.id) });
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('replayed_request');
    expect(proofs()).toBe(1);
    expect(await countRows(addon, 'gateway_connections')).toBe(1);

    const disconnect = { Authorization: `JWT ${emulator.mintJwt(oauthId, { userId: ada.id, roomId: room.id })}` };
    await request(addon.url).delete(`/api/connections/${connected.body.connection.id}`).set(disconnect).expect(204);
    expect((await request(addon.url).delete(`/api/connections/${connected.body.connection.id}`).set(disconnect)).status).toBe(409);
  });
});
