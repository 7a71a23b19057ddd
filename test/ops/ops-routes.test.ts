import request from 'supertest';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';

describe('health, readiness, metrics and security headers', () => {
  let addon: TestAddon;

  beforeAll(async () => {
    addon = await startTestAddon({ METRICS_TOKEN: 'metrics-token-0123456789' });
  });
  afterAll(() => addon.destroy());

  it('GET /healthz answers 200 while the process is alive', async () => {
    const res = await request(addon.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 when the database is reachable and migrated', async () => {
    const res = await request(addon.url).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', problems: [] });
  });

  it('GET /readyz names the outbox worker when it is not running', async () => {
    const worker = addon.services.background.find((task) => task.name === 'hipchat-outbox-worker');
    await worker?.stop();
    const res = await request(addon.url).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.problems).toEqual([{ component: 'outbox_worker', problem: 'not running' }]);
    await worker?.start();
    expect((await request(addon.url).get('/readyz')).status).toBe(200);
  });

  it("GET /readyz names a module's migration the database has not recorded, and is ready again once it has", async () => {
    const { db } = addon.services;
    const { rows } = await db.query<{ applied_at: Date }>(
      "DELETE FROM module_migrations WHERE module = 'gateway' AND version = '001_gateway' RETURNING applied_at",
    );
    expect(rows).toHaveLength(1);
    try {
      const res = await request(addon.url).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'not_ready', problems: [{ component: 'migrations', problem: 'not applied: gateway/001_gateway' }] });
    } finally {
      await db.query("INSERT INTO module_migrations (module, version, applied_at) VALUES ('gateway', '001_gateway', $1)", [rows[0]?.applied_at]);
    }
    expect((await request(addon.url).get('/readyz')).status).toBe(200);
  });

  it('GET /readyz names a core migration the database has not recorded', async () => {
    const { db } = addon.services;
    await db.query("DELETE FROM schema_migrations WHERE version = '009_install_probes'");
    try {
      const res = await request(addon.url).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body.problems).toEqual([{ component: 'migrations', problem: 'not applied: 009_install_probes' }]);
    } finally {
      await db.query("INSERT INTO schema_migrations (version) VALUES ('009_install_probes')");
    }
    expect((await request(addon.url).get('/readyz')).status).toBe(200);
  });

  it('GET /metrics needs the METRICS_TOKEN when one is configured', async () => {
    const refused = await request(addon.url).get('/metrics');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('metrics_token_required');
    const wrong = await request(addon.url).get('/metrics').set('authorization', 'Bearer metrics-token-0123456780');
    expect(wrong.status).toBe(401);
  });

  it('GET /metrics reports request durations by route after traffic', async () => {
    await request(addon.url).get('/atlassian-connect.json').expect(200);
    const res = await request(addon.url).get('/metrics').set('authorization', 'Bearer metrics-token-0123456789');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/atlassian-connect.json",status="200"\} [1-9]/);
    expect(res.text).toContain('hipchat_outbox_depth');
  });

  it('echoes a request id, or makes one', async () => {
    const given = await request(addon.url).get('/healthz').set('x-request-id', 'lb-abc.123');
    expect(given.headers['x-request-id']).toBe('lb-abc.123');
    const made = await request(addon.url).get('/healthz').set('x-request-id', 'bad id with spaces');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers that refuse framing of API answers', async () => {
    const res = await request(addon.url).get('/atlassian-connect.json');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('readiness with the database down', () => {
  it('GET /readyz answers 503 naming the database', async () => {
    const addon = await startTestAddon();
    try {
      await addon.services.db.close();
      const res = await request(addon.url).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body.status).toBe('not_ready');
      expect(res.body.problems[0].component).toBe('database');
      expect((await request(addon.url).get('/healthz')).status).toBe(200);
    } finally {
      await addon.stop().catch(() => undefined);
      await addon.database.drop();
    }
  });
});

describe('per-IP limit on unauthenticated endpoints', () => {
  it('answers 429 with Retry-After once an address exceeds PUBLIC_RATE_LIMIT', async () => {
    const addon = await startTestAddon({ PUBLIC_RATE_LIMIT: '3/60' });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await request(addon.url).post('/installable').send({});
        expect(res.status).not.toBe(429);
      }
      const limited = await request(addon.url).post('/installable').send({});
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('60');
      expect(limited.body.error.code).toBe('rate_limited');
      expect((await request(addon.url).get('/atlassian-connect.json')).status).toBe(200);
    } finally {
      await addon.destroy();
    }
  });
});
