import express from 'express';
import { MemoryStore } from 'express-rate-limit';
import request from 'supertest';
import { publicRateLimit } from '../../src/ops/security';
import { eventually } from '../helpers/eventually';

/** express-rate-limit's memory store keeps a current and a previous window's clients, and drops the rest. */
function clientsHeld(store: MemoryStore): number {
  const maps = store as unknown as { current: Map<string, unknown>; previous: Map<string, unknown> };
  return maps.current.size + maps.previous.size;
}

describe('public per-IP rate limit memory', () => {
  it('many one-off client addresses do not stay in memory: idle clients are evicted after two windows', async () => {
    const store = new MemoryStore();
    const app = express();
    app.set('trust proxy', true); // so that each request below counts as a different client
    app.use(publicRateLimit({ limit: 10, windowMs: 500 }, store));
    app.get('/', (_req, res) => void res.send('ok'));
    try {
      for (let i = 1; i <= 20; i++) await request(app).get('/').set('x-forwarded-for', `198.51.100.${i}`).expect(200);
      expect(clientsHeld(store)).toBeGreaterThan(0); // some may already be gone on a slow machine
      await eventually('idle clients evicted', () => clientsHeld(store) === 0, 5000);
    } finally {
      store.shutdown();
    }
  });
});
