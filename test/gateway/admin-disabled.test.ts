import request from 'supertest';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';
import { admin, countRows } from './gateway-fixtures';

// Its own file: it needs an add-on started without ADMIN_TOKEN.
let addon: TestAddon;

beforeAll(async () => {
  addon = await startTestAddon({});
});

afterAll(async () => {
  await addon?.destroy();
});

describe('without ADMIN_TOKEN configured', () => {
  it('disables the admin path (403 saying to set ADMIN_TOKEN) and stores nothing', async () => {
    const res = await request(addon.url)
      .post('/api/connections')
      .set(admin)
      .send({ token: 'abcdefgh12', hipchatUrl: 'http://127.0.0.1:9', room: 1 });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('admin_disabled');
    expect(res.body.error.message).toMatch(/set ADMIN_TOKEN/);
    expect((await request(addon.url).get('/api/hooks').set(admin)).status).toBe(403);
    expect(await countRows(addon, 'gateway_connections')).toBe(0);
  });

  it('says so on the /connect page', async () => {
    const page = await request(addon.url).get('/connect');
    expect(page.status).toBe(200);
    expect(page.text).toContain('set <code>ADMIN_TOKEN</code>');
  });
});
