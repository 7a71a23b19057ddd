import request from 'supertest';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';

/** Two requests per minute per client IP on the endpoints anyone can reach (here GET /connect). */
const env = { PUBLIC_RATE_LIMIT: '2/60' };

async function statuses(addon: TestAddon, forwardedFor: string[]): Promise<number[]> {
  const result: number[] = [];
  for (const ip of forwardedFor) result.push((await request(addon.url).get('/connect').set('x-forwarded-for', ip)).status);
  return result;
}

describe('TRUST_PROXY and the per-IP public rate limit', () => {
  it('without TRUST_PROXY, a client forging X-Forwarded-For does not get a fresh rate-limit bucket per forged address', async () => {
    const addon = await startTestAddon(env);
    try {
      // Every request comes from 127.0.0.1, whatever the header claims: the third is refused.
      expect(await statuses(addon, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([200, 200, 429]);
    } finally {
      await addon.destroy();
    }
  });

  it('with TRUST_PROXY set (behind a load balancer), X-Forwarded-For decides the client IP, so clients are limited apart', async () => {
    const addon = await startTestAddon({ ...env, TRUST_PROXY: 'loopback' });
    try {
      expect(await statuses(addon, ['203.0.113.1', '203.0.113.1', '203.0.113.1'])).toEqual([200, 200, 429]);
      // Another client behind the same balancer still has its own allowance.
      expect(await statuses(addon, ['203.0.113.2', '203.0.113.2'])).toEqual([200, 200]);
    } finally {
      await addon.destroy();
    }
  });
});
