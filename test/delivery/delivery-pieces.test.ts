import { loadConfig } from '../../src/config';
import { HostSlots } from '../../src/hipchat/delivery/host-slots';
import { RatePacer } from '../../src/hipchat/delivery/rate-pacer';
import { decideRoomBacklog, roomBacklogBound } from '../../src/hipchat/delivery/room-backlog';

describe('the pacer forgets idle budgets', () => {
  const limits = { token: { limit: 500, windowMs: 300_000 }, room: { limit: 30, windowMs: 60_000 } };

  it('a flood of distinct tokens and rooms cannot grow the pacer without bound', () => {
    let now = 0;
    const pacer = new RatePacer(limits, () => now, 100);
    let largest = 0;
    for (let i = 0; i < 20_000; i++) {
      const keys = { token: `token:${i}`, room: `room:${i}` };
      if (pacer.reserve(keys) !== 0) throw new Error(`a fresh budget made ${i} wait`);
      pacer.complete(keys, {});
      now += 1_000; // each budget's window (at most 5 minutes) is over 300 keys later
      largest = Math.max(largest, pacer.size);
    }
    // Two keys per call live for at most 300 calls: about 600 budgets alive, never more than twice that.
    expect(largest).toBeLessThanOrEqual(1_300);
  });

  it('keeps what still matters: a spent budget, a 429 block and calls in flight survive a sweep', () => {
    let now = 0;
    const pacer = new RatePacer({ token: { limit: 100, windowMs: 1_000 }, room: { limit: 1, windowMs: 60_000 } }, () => now, 10);
    const busy = { token: 'busy-token', room: 'busy-room' };
    expect(pacer.reserve(busy)).toBe(0); // the room's one message this minute, still in flight
    pacer.reserve({ token: 'blocked' });
    pacer.complete({ token: 'blocked' }, {});
    pacer.block('blocked', 50_000);
    for (let i = 0; i < 200; i++) {
      now += 10;
      pacer.reserve({ token: `idle:${i}` });
      pacer.complete({ token: `idle:${i}` }, {});
    }
    now = 5_000; // every idle window (1 s) is over; the room's (60 s) and the block are not
    for (let i = 0; i < 500; i++) {
      now += 60; // up to 35 s: past every 1 s window, not past the block (50 s) or the room's minute
      pacer.reserve({ token: `later:${i}` });
      pacer.complete({ token: `later:${i}` }, {});
    }
    // About 17 keys inside their 1 s window plus the three kept: 500 + 200 were made in all.
    expect(pacer.size).toBeLessThanOrEqual(60);
    expect(pacer.reserve(busy)).toBe(60_000 - now + 5); // the room's budget is still spent until its minute ends
    expect(pacer.reserve({ token: 'blocked' })).toBe(50_000 - now + 5);
  });
});

describe('the pacer after a 429', () => {
  const limits = { token: { limit: 500, windowMs: 300_000 }, room: { limit: 30, windowMs: 60_000 } };

  it("a 429 that names its time (Retry-After) is waited out, not the minute-long window the pacer assumed", () => {
    let now = 1_000;
    const pacer = new RatePacer(limits, () => now);
    expect(pacer.reserve({ token: 't', room: 'r' })).toBe(0); // opens the assumed windows: 60 s and 300 s
    pacer.complete({ token: 't', room: 'r' }, {});
    pacer.block('r', now + 300);
    expect(pacer.reserve({ token: 't', room: 'r' })).toBe(305);
    now += 305;
    expect(pacer.reserve({ token: 't', room: 'r' })).toBe(0);
  });

  it('two 429s in one window never shorten each other', () => {
    const pacer = new RatePacer(limits, () => 0);
    pacer.reserve({ token: 't' });
    pacer.block('t', 5_000);
    pacer.block('t', 2_000);
    expect(pacer.reserve({ token: 't' })).toBe(5_005);
  });

  it('a 429 without any hint waits at least a second, and out the window it assumed when that is longer', () => {
    let now = 0;
    const pacer = new RatePacer(limits, () => now);
    pacer.reserve({ token: 't', room: 'r' });
    now = 10_000;
    pacer.blockAtLeast('r', now + 1_000);
    expect(pacer.reserve({ token: 't', room: 'r' })).toBe(60_000 - now + 5);
  });
});

describe('per-host delivery slots', () => {
  it('one host never holds more than its share; others are untouched; freed hosts are forgotten', () => {
    const slots = new HostSlots(2);
    expect(slots.tryAcquire('slow.example')).toBe(true);
    expect(slots.tryAcquire('slow.example')).toBe(true);
    expect(slots.tryAcquire('slow.example')).toBe(false);
    expect(slots.full()).toEqual(['slow.example']);
    expect(slots.tryAcquire('fast.example')).toBe(true);
    slots.release('slow.example');
    expect(slots.full()).toEqual([]);
    slots.release('slow.example');
    slots.release('fast.example');
    expect(slots.size).toBe(0);
  });
});

describe('room backlog (backpressure on incoming hooks)', () => {
  const limit = { flood: { limit: 30, windowMs: 60_000 }, horizonMs: 300_000 };

  it('a room takes messages up to five minutes of its flood allowance (30/min → 150)', () => {
    expect(roomBacklogBound(limit)).toBe(150);
    expect(decideRoomBacklog(149, limit)).toEqual({ accepted: true });
    expect(decideRoomBacklog(150, limit)).toEqual({ accepted: false, bound: 150, retryAfterMs: 2_000 });
    // 60 over the bound: two minutes at 30/min before the next one fits
    expect(decideRoomBacklog(209, limit)).toMatchObject({ accepted: false, retryAfterMs: 120_000 });
  });

  it('the default hook limit is within the room flood allowance, so one steady hook alone builds no backlog', () => {
    const config = loadConfig({});
    expect(config.hookRateLimit.limit / config.hookRateLimit.windowMs).toBeLessThanOrEqual(
      config.roomFloodLimit.limit / config.roomFloodLimit.windowMs,
    );
    expect(config).toMatchObject({ hipchatHttpTimeoutMs: 10_000, hipchatMaxCallsPerHost: 8, roomBacklogSeconds: 300 });
  });
});
