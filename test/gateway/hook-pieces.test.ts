import { HttpError } from '../../src/shared/errors';
import { HookRateLimiter } from '../../src/gateway/hooks/hook-rate-limiter';
import { parseHookPayload } from '../../src/gateway/hooks/parse-hook-payload';
import { hashSecret, isUrlSecretShaped, newUrlSecret, secretsEqual } from '../../src/gateway/url-secret';

function refusal(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseHookPayload', () => {
  it('turns {"text"} into a plain-text notification', () => {
    expect(parseHookPayload({ text: 'Build <b>green</b>' })).toEqual({ message: 'Build <b>green</b>', message_format: 'text' });
  });

  it("accepts HipChat's notification body", () => {
    const body = { message: '<b>Deployed</b>', message_format: 'html', color: 'green', notify: true };
    expect(parseHookPayload(body)).toEqual(body);
  });

  it.each([
    [{ text: '' }, /^text/],
    [{ text: 'x'.repeat(10_001) }, /^text/],
    [{ message: 'x', color: 'pink' }, /^color/],
    [{ message: 'x', notify: 'yes' }, /^notify/],
    [{ message: 'x', card: { style: 'link' } }, /^card/],
    [{}, /^message/],
    ['text', /^body/],
    [null, /^body/],
  ])('refuses %j with a 400 naming the field', (body, message) => {
    const error = refusal(() => parseHookPayload(body));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });
});

describe('HookRateLimiter', () => {
  it('refuses a key over its limit until its window ends, without affecting other keys', () => {
    let now = 1_000;
    const limiter = new HookRateLimiter({ limit: 2, windowMs: 10_000 }, () => now);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(true);
    now += 4_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 6_000 });
    expect(limiter.take('b').allowed).toBe(true);
    now += 6_000;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('a stream of one-off hook ids cannot grow the limiter without bound: idle keys are evicted within two windows', () => {
    let now = 0;
    const limiter = new HookRateLimiter({ limit: 1, windowMs: 1_000 }, () => now);
    for (let i = 0; i < 5_000; i++) limiter.take(`one-off-${i}`);
    expect(limiter.size).toBe(5_000);
    now = 2_000; // every one of those windows has ended
    limiter.take('active');
    expect(limiter.size).toBe(1);
    // A key still inside its window keeps its count through a sweep.
    expect(limiter.take('active').allowed).toBe(false);
    now = 2_999;
    limiter.take('other');
    expect(limiter.take('active').allowed).toBe(false);
  });
});

describe('URL secrets', () => {
  it('are at least 128 bits of base64url and hash to SHA-256 hex', () => {
    const secret = newUrlSecret();
    expect(Buffer.from(secret, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(isUrlSecretShaped(secret)).toBe(true);
    expect(newUrlSecret()).not.toBe(secret);
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(isUrlSecretShaped('short')).toBe(false);
  });

  it('compare equal only when identical, whatever the lengths', () => {
    expect(secretsEqual('admin-token-1234567', 'admin-token-1234567')).toBe(true);
    expect(secretsEqual('admin-token-1234568', 'admin-token-1234567')).toBe(false);
    expect(secretsEqual('a', 'admin-token-1234567')).toBe(false);
  });
});
