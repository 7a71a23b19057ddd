import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../../src/shared/logger';
import { startAddonOnFreePort } from '../helpers/test-addon';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const production = { NODE_ENV: 'production', ENCRYPTION_KEY: 'cd'.repeat(32), LOG_LEVEL: 'warn' };
const METRICS_TOKEN = 'metrics-token-for-production';

describe('/metrics in production', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('without METRICS_TOKEN, nobody can read /metrics (403 metrics_disabled), and start-up says so', async () => {
    let logged = '';
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((logged += chunk.toString()), done()) });
    const addon = await startAddonOnFreePort(database, production, createLogger('warn', sink));
    try {
      for (const authorization of [undefined, 'Bearer anything-at-all-0123456789']) {
        const req = request(addon.url).get('/metrics');
        const res = authorization ? await req.set('authorization', authorization) : await req;
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('metrics_disabled');
        expect(res.text).not.toContain('http_request_duration_seconds');
      }
      expect(logged).toContain('METRICS_TOKEN is not set');
    } finally {
      await addon.stop();
    }
  });

  it('with METRICS_TOKEN, only its bearer reads /metrics', async () => {
    const addon = await startAddonOnFreePort(database, { ...production, METRICS_TOKEN });
    try {
      expect((await request(addon.url).get('/metrics')).status).toBe(401);
      const res = await request(addon.url).get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('http_request_duration_seconds');
    } finally {
      await addon.stop();
    }
  });
});
