import { parseGlanceUpdate, parseRoomNotification, parseRoomWebhook } from '../../src/hipchat/api/hipchat-messages';
import { joinApiUrl } from '../../src/hipchat/api/join-api-url';
import { parseLimitHeaders, parseRetryAfter } from '../../src/hipchat/api/rate-limit-headers';
import { RatePacer } from '../../src/hipchat/delivery/rate-pacer';
import { backoffMs, decide, DEFAULT_RETRY } from '../../src/hipchat/delivery/retry-policy';

const refused = (input: unknown, parse: (i: unknown) => unknown = parseRoomNotification) => {
  try {
    parse(input);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('payload validation names the field at fault', () => {
  it.each([
    [{}, /^message/],
    [{ message: '' }, /^message: must be 1–10000/],
    [{ message: 'x'.repeat(10_001) }, /^message: must be 1–10000/],
    [{ message: 'x', message_format: 'markdown' }, /^message_format/],
    [{ message: 'x', color: 'blue' }, /^color/],
    [{ message: 'x', notify: 'yes' }, /^notify/],
    [{ message: 'x', from: 'f'.repeat(65) }, /^from: must be at most 64/],
    [{ message: 'x', card: { style: 'poster', id: '1', title: 't' } }, /^card\.style/],
    [{ message: 'x', card: { style: 'link', id: '1' } }, /^card\.title/],
    [{ message: 'x', colour: 'red' }, /colour/],
  ])('%j is refused', (input, expected) => {
    expect(refused(input)).toMatch(expected);
  });

  it('accepts a full notification with a card', () => {
    const card = { style: 'application', id: 'task-1', title: 'Task', url: 'https://example.com/t/1', format: 'medium' };
    expect(refused({ message: '<b>x</b>', message_format: 'html', color: 'random', notify: true, from: 'Tasks', card, attach_to: 'm1' })).toBe('accepted');
  });

  it('checks glances and webhooks too', () => {
    const status = { type: 'lozenge', value: { label: 'x', type: 'urgent' } };
    expect(refused([{ key: 'g', content: { label: { type: 'html', value: 'x' }, status } }], parseGlanceUpdate)).toMatch(/^0\.content\.status/);
    expect(refused({ url: 'ftp://x', event: 'room_message' }, parseRoomWebhook)).toMatch(/^url/);
    expect(refused({ url: 'https://x.example/h', event: 'room_joined' }, parseRoomWebhook)).toMatch(/^event/);
  });
});

describe('pure helpers', () => {
  it('joins API URLs of either shape without "//"', () => {
    expect(joinApiUrl('https://api.hipchat.com/v2/', 'room/1/notification')).toBe('https://api.hipchat.com/v2/room/1/notification');
    expect(joinApiUrl('https://api.hipchat.com/v2', '/room/1/notification')).toBe('https://api.hipchat.com/v2/room/1/notification');
  });

  it('parses limit headers with fractional resets, and Retry-After as seconds or a date', () => {
    expect(parseLimitHeaders({ 'x-ratelimit-limit': '500', 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '1700000000.25' }, 'X-Ratelimit')).toEqual({
      limit: 500,
      remaining: 3,
      resetAtMs: 1_700_000_000_250,
    });
    expect(parseLimitHeaders({ 'x-ratelimit-limit': '500' }, 'X-Ratelimit')).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': '1.5' }, 0)).toBe(1500);
    expect(parseRetryAfter({ 'retry-after': new Date(10_000).toUTCString() }, 4_000)).toBe(6_000);
  });

  it('the pacer waits for the reset once a budget is spent, and trusts HipChat\'s headers', () => {
    let now = 1_000;
    const pacer = new RatePacer({ token: { limit: 100, windowMs: 1000 }, room: { limit: 2, windowMs: 1000 } }, () => now);
    const keys = { token: 't', room: 'r' };
    expect(pacer.reserve(keys)).toBe(0);
    pacer.complete(keys, { room: { limit: 2, remaining: 0, resetAtMs: 1_500 } });
    expect(pacer.reserve(keys)).toBe(505);
    now = 1_505;
    expect(pacer.reserve(keys)).toBe(0);
    expect(pacer.reserve({ token: 't' })).toBe(0); // not a message: only the token budget applies
  });

  it('decides: 2xx delivered, 429 wait, 401 reauthenticate once, 5xx retry, other 4xx final', () => {
    const result = (status: number) => ({ status, ok: status < 300, body: null, errorMessage: `HTTP ${status}` });
    const state = { attemptsSoFar: 0, reauthenticated: false };
    expect(decide(result(204), state, DEFAULT_RETRY).kind).toBe('delivered');
    expect(decide(result(429), state, DEFAULT_RETRY).kind).toBe('rate_limited');
    expect(decide(result(401), state, DEFAULT_RETRY).kind).toBe('reauthenticate');
    expect(decide(result(401), { ...state, reauthenticated: true }, DEFAULT_RETRY).kind).toBe('fail');
    expect(decide(result(503), state, DEFAULT_RETRY).kind).toBe('retry');
    expect(decide(result(404), state, DEFAULT_RETRY).kind).toBe('fail');
    expect(decide(result(503), { ...state, attemptsSoFar: 29 }, DEFAULT_RETRY).kind).toBe('fail');
    expect(backoffMs(30, DEFAULT_RETRY, () => 1)).toBe(DEFAULT_RETRY.maxDelayMs);
    expect(backoffMs(1, DEFAULT_RETRY, () => 0)).toBe(500);
  });
});
