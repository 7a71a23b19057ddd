import { startEmulator, type Emulator, type Room } from '../../src/emulator';
import { formatResetHeader, formatRetryAfter, FixedWindowLimiter } from '../../src/emulator/model/fixed-window-limiter';
import { callApi, startFakeAddon, type FakeAddon } from './helpers/start-fake-addon';

describe('emulator rate limits and flood control', () => {
  let emulator: Emulator;
  let addon: FakeAddon;
  let room: Room;
  let oauthId: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    addon = await startFakeAddon();
    room = emulator.createRoom('Limits');
    oauthId = (await emulator.install(addon.descriptorUrl)).oauthId;
  });
  afterAll(async () => {
    await emulator.close();
    await addon.close();
  });

  it('puts X-Ratelimit-* on every authenticated answer, errors included (default 500 per 5 min, whole seconds)', async () => {
    emulator.setLimits({ rateLimit: { limit: 500, windowMs: 300_000 }, floodControl: { limit: 30, windowMs: 60_000 } });
    const token = emulator.createAccessToken(oauthId);
    const ok = await callApi(`${emulator.url}/v2/room/${room.id}`, token, 'GET');
    expect(ok.headers.get('x-ratelimit-limit')).toBe('500');
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('499');
    expect(ok.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    const bad = await callApi(`${emulator.url}/v2/room/${room.id}/notification`, token, 'POST', { color: 'blue' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-ratelimit-remaining')).toBe('498');
    const notFound = await callApi(`${emulator.url}/v2/room/424242`, token, 'GET');
    expect(notFound.headers.get('x-ratelimit-remaining')).toBe('497');
  });

  it('answers 429 with Retry-After when a token exceeds its window, with decimal headers for short windows', async () => {
    emulator.setLimits({ rateLimit: { limit: 3, windowMs: 1000 } });
    const token = emulator.createAccessToken(oauthId);
    const before = emulator.stats().rateLimited;
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await callApi(`${emulator.url}/v2/room/${room.id}`, token, 'GET');
      statuses.push(last.status);
    }
    // The 4th call may land in a new 1 s window if the first three straddled a boundary; retry once.
    if (statuses[3] !== 429) {
      statuses.length = 0;
      for (let i = 0; i < 4; i++) statuses.push((last = await callApi(`${emulator.url}/v2/room/${room.id}`, token, 'GET')).status);
    }
    expect(statuses.slice(-1)).toEqual([429]);
    expect(last?.body.error).toMatchObject({ code: 429, type: 'Too Many Requests' });
    expect(last?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(last?.headers.get('x-ratelimit-reset')).toMatch(/^\d+\.\d{3}$/);
    const retryAfter = Number(last?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(1);
    expect(emulator.stats().rateLimited).toBeGreaterThan(before);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 20));
    expect((await callApi(`${emulator.url}/v2/room/${room.id}`, token, 'GET')).status).toBe(200);
  });

  it('applies flood control per room on notifications and messages, across tokens', async () => {
    emulator.setLimits({ rateLimit: { limit: 500, windowMs: 300_000 }, floodControl: { limit: 2, windowMs: 1500 } });
    const floodRoom = emulator.createRoom('Flood');
    const first = emulator.createAccessToken(oauthId);
    const second = emulator.createRoomNotificationToken(floodRoom.id);
    const url = `${emulator.url}/v2/room/${floodRoom.id}/notification`;
    // Align to the start of a window so all three land in the same one.
    await new Promise((resolve) => setTimeout(resolve, 1500 - (Date.now() % 1500) + 5));
    const a = await callApi(url, first, 'POST', { message: 'one' });
    expect(a.status).toBe(204);
    expect(a.headers.get('x-floodcontrol-limit')).toBe('2');
    expect(a.headers.get('x-floodcontrol-remaining')).toBe('1');
    expect(a.headers.get('x-floodcontrol-reset')).toMatch(/^\d+\.\d{3}$/);
    expect((await callApi(url, second, 'POST', { message: 'two' })).status).toBe(204);
    const third = await callApi(url, first, 'POST', { message: 'three' });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(emulator.history(floodRoom.id).map((item) => item.message)).toEqual(['one', 'two']);
    // Another room is not affected.
    expect((await callApi(`${emulator.url}/v2/room/${room.id}/notification`, first, 'POST', { message: 'fine' })).status).toBe(204);
  });

  it('formats reset headers: whole seconds for long windows, millisecond decimals for short ones', () => {
    const long = new FixedWindowLimiter({ limit: 1, windowMs: 300_000 }).hit('k', 1_000_000);
    expect(formatResetHeader(long)).toBe('1200');
    const short = new FixedWindowLimiter({ limit: 1, windowMs: 1000 }).hit('k', 1_764_052_799_250);
    expect(formatResetHeader(short)).toBe('1764052800.000');
    expect(formatRetryAfter(short, 1_764_052_799_250)).toBe('0.750');
  });

  it('forgets the counters of tokens idle since an earlier window (memory stays bounded)', () => {
    const limiter = new FixedWindowLimiter({ limit: 5, windowMs: 1000 });
    for (let i = 0; i < 1000; i++) limiter.hit(`token-${i}`, 10_500);
    expect(limiter.size).toBe(1000);
    limiter.hit('token-0', 11_200);
    expect(limiter.size).toBe(1);
  });
});
