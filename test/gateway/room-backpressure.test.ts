import request from 'supertest';
import type { Emulator } from '../../src/emulator';
import { eventually } from '../helpers/eventually';
import type { RunningAddon } from '../../src/runtime';
import { startTestKit, type TestKit } from '../../src/testing';
import { ADMIN_TOKEN, connectWithToken, createHook, ENCRYPTION_KEY, pathOf } from './gateway-fixtures';

/**
 * HipChat lets 10 messages a minute into a room; a room may fall 30 s behind: 5 pending messages at most.
 * (The allowance also covers the notifications that prove each new connection.)
 */
const FLOOD = { limit: 10, windowSeconds: 60 };
const BOUND = 5;

let kit: TestKit;
let hipchat: Emulator;
let addon: RunningAddon;

beforeAll(async () => {
  kit = await startTestKit({
    env: {
      ADMIN_TOKEN,
      ENCRYPTION_KEY,
      HOOK_RATE_LIMIT: '1000/60', // the per-hook limit is not what is tested here
      HIPCHAT_ROOM_FLOOD_LIMIT: `${FLOOD.limit}/${FLOOD.windowSeconds}`,
      ROOM_BACKLOG_SECONDS: '30',
    },
  });
  ({ emulator: hipchat, addon } = kit);
});

afterAll(() => kit?.stop());

const floodIn = (room: number) =>
  hipchat
    .history(room)
    .filter((item) => item.type === 'notification' && item.message.startsWith('flood'))
    .map((item) => item.message);
const post = (url: string, text: string) => request(addon.url).post(pathOf(url)).send({ text });

describe('per-room backpressure on incoming hooks', () => {
  it('a room backlogged past what HipChat lets through answers 429 with Retry-After to every hook into it, and loses nothing it accepted', async () => {
    const room = hipchat.createRoom('Flooded').id;
    const quietRoom = hipchat.createRoom('Quiet').id;
    // Two ways into the same room (two tokens, two connections): the backlog is the room's, not a hook's.
    const first = await connectWithToken(addon, { token: hipchat.createRoomNotificationToken(room), hipchatUrl: hipchat.url, room });
    const second = await connectWithToken(addon, { token: hipchat.createRoomNotificationToken(room), hipchatUrl: hipchat.url, room });
    const quiet = await connectWithToken(addon, { token: hipchat.createRoomNotificationToken(quietRoom), hipchatUrl: hipchat.url, room: quietRoom });
    const hook = await createHook(addon, { connectionId: first.connection.id });
    const otherHook = await createHook(addon, { connectionId: second.connection.id });
    const quietHook = await createHook(addon, { connectionId: quiet.connection.id });

    await hipchat.goOffline();
    const accepted: string[] = [];
    try {
      for (let i = 1; i <= BOUND; i++) {
        const res = await post(hook.url, `flood ${i}`);
        expect(res.status).toBe(202);
        accepted.push(`flood ${i}`);
      }
      const refused = await post(hook.url, 'one too many');
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('room_backlogged');
      // One message over: HipChat needs 60 s / 10 = 6 s to make room for it.
      expect(refused.headers['retry-after']).toBe('6');

      const throughOtherHook = await post(otherHook.url, 'same room, other hook');
      expect(throughOtherHook.status).toBe(429);
      expect(Number(throughOtherHook.headers['retry-after'])).toBeGreaterThan(0);
      expect((await post(quietHook.url, 'another room is not affected')).status).toBe(202);
    } finally {
      await hipchat.goOnline();
    }
    await eventually('every accepted message', () => floodIn(room).length === BOUND, 30_000);
    expect(floodIn(room)).toEqual(accepted);
    expect(hipchat.history(room).map((item) => item.message)).not.toContain('one too many');
    // Drained: the room takes hook posts again.
    expect((await post(hook.url, 'after the backlog')).status).toBe(202);
  }, 60_000);

  it('a burst of simultaneous posts cannot slip past the bound together: exactly the bound is accepted', async () => {
    const room = hipchat.createRoom('Burst').id;
    const connected = await connectWithToken(addon, { token: hipchat.createRoomNotificationToken(room), hipchatUrl: hipchat.url, room });
    const hook = await createHook(addon, { connectionId: connected.connection.id });
    await hipchat.goOffline();
    let statuses: number[];
    try {
      statuses = (await Promise.all(Array.from({ length: 15 }, (_, i) => post(hook.url, `flood burst ${i}`)))).map((res) => res.status);
    } finally {
      await hipchat.goOnline();
    }
    expect(statuses.filter((status) => status === 202)).toHaveLength(BOUND);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15 - BOUND);
    await eventually('every accepted message', () => floodIn(room).length === BOUND, 30_000);
  }, 60_000);
});
