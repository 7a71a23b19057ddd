import request from 'supertest';
import type { NewInstallation } from '../../src/hipchat/installations/installation';
import { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';
import { installTasks, jwtFor, MEMBER } from './tasks-fixtures';

let addon: TestAddon;
let inst: NewInstallation;
/** A global installation on a HipChat (the emulator) that says the JWTs' user is a group admin. */
let adminInst: NewInstallation;
let hipchat: EmulatedHipChat;
const room = 77;
const EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;';
const page = (path: string, roomId: number | null = room, who: NewInstallation = inst) =>
  request(addon.url).get(`${path}${path.includes('?') ? '&' : '?'}signed_request=${jwtFor(who, roomId)}`);

beforeAll(async () => {
  addon = await startTestAddon();
  inst = await installTasks(addon);
  hipchat = await EmulatedHipChat.start();
  hipchat.ensureUser(Number(MEMBER), { isGroupAdmin: true });
  adminInst = await installTasks(addon, null, hipchat);
  await request(addon.url).post('/api/tasks').set('Authorization', `JWT ${jwtFor(inst, room)}`).send({ text: EVIL }).expect(201);
  await request(addon.url).post('/api/tasks').set('Authorization', `JWT ${jwtFor(inst, room)}`).send({ text: 'Plain' }).expect(201);
});
afterAll(async () => {
  await addon.destroy();
  await hipchat.close();
});

describe('Tasks pages', () => {
  it('sidebar lists the room’s open tasks, escaped, each with a Done button', async () => {
    const res = await page('/sidebar').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain(`<span class="task-text">${ESCAPED}</span>`);
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).toContain('<button type="button" class="complete" data-number="1">Done</button>');
    expect(res.text).toContain('<button type="button" class="complete" data-number="2">Done</button>');
    expect(res.text).toContain('2 open tasks');
  });

  it('dialog is pre-filled from ?text=, escaped', async () => {
    const res = await page(`/dialog/create-task?text=${encodeURIComponent(`</textarea>${EVIL}`)}`).expect(200);
    expect(res.text).toContain(`&lt;/textarea&gt;${ESCAPED}</textarea>`);
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).toContain('<script src="/static/dialog.js"></script>');
  });

  it('configuration page shows the installation’s settings', async () => {
    await request(addon.url)
      .put('/api/settings')
      .set('Authorization', `JWT ${jwtFor(adminInst, room)}`)
      .send({ announceNewTasks: true, color: 'red' })
      .expect(200);
    const res = await page('/configure', null, adminInst).expect(200);
    expect(res.text).toContain('id="announce" name="announceNewTasks" checked');
    expect(res.text).toContain('<option value="red" selected>red</option>');
  });

  it('configuration page of a global installation makes hooks for a room it names, by default the one it was opened from', async () => {
    const fromRoom = await page('/configure', room, adminInst).expect(200);
    expect(fromRoom.text).toContain('<form id="new-hook">');
    expect(fromRoom.text).toContain(`<input id="hook-room" name="roomId" type="number" min="1" required value="${room}">`);
    const fromAdmin = await page('/configure', null, adminInst).expect(200);
    expect(fromAdmin.text).toContain('<input id="hook-room" name="roomId" type="number" min="1" required>');
  });

  it("configuration page of a room installation makes hooks for its own room only (no room field)", async () => {
    const roomInstallation = await installTasks(addon, 78, hipchat);
    const res = await request(addon.url).get(`/configure?signed_request=${jwtFor(roomInstallation, 78)}`).expect(200);
    expect(res.text).toContain('<form id="new-hook">');
    expect(res.text).not.toContain('id="hook-room"');
  });

  it.each(['/sidebar', '/dialog/create-task', '/configure'])('%s can be framed by HipChat only, under a strict CSP', async (path) => {
    const res = await page(path).expect(200);
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self' http://127.0.0.1:9; style-src 'self'; connect-src 'self'; " +
        "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors http://127.0.0.1:* http://localhost:*",
    );
    expect(res.headers['cache-control']).toBe('no-store');
    // HipChat's JavaScript API from the installation's HipChat host, and no inline script.
    expect(res.text).toContain('<script src="http://127.0.0.1:9/atlassian-connect/all.js"></script>');
    expect(res.text).not.toMatch(/<script>|<script(?![^>]*\ssrc=)[^>]*>/);
    expect(res.text).not.toMatch(/<[^>]*\son[a-z]+=/);
  });

  it('pages need a valid signed_request, and task pages a room', async () => {
    await request(addon.url).get('/sidebar').expect(401);
    await request(addon.url).get(`/sidebar?signed_request=${jwtFor({ ...inst, oauthSecret: 'wrong-secret-123' }, room)}`).expect(401);
    expect((await page('/sidebar', null)).status).toBe(400);
  });

  it('uses the production frame-ancestors when the allowed hosts are HipChat Cloud’s', async () => {
    const cloud = await startTestAddon({ HIPCHAT_ALLOWED_HOSTS: 'api.hipchat.com,*.hipchat.com' });
    try {
      const cloudInst = await installTasks(cloud);
      await cloud.services.installations.save({ ...cloudInst, hipchatBaseUrl: 'https://acme.hipchat.com' });
      const res = await request(cloud.url).get(`/sidebar?signed_request=${jwtFor(cloudInst, 5)}`).expect(200);
      expect(res.headers['content-security-policy']).toContain("script-src 'self' https://acme.hipchat.com;");
      expect(res.headers['content-security-policy']).toContain('frame-ancestors https://api.hipchat.com https://*.hipchat.com');
    } finally {
      await cloud.destroy();
    }
  });

  it('serves the icons and page assets', async () => {
    for (const [path, type] of [
      ['/static/tasks-icon.png', 'image/png'],
      ['/static/tasks-icon@2x.png', 'image/png'],
      ['/static/tasks.css', 'text/css'],
      ['/static/tasks-page.js', 'javascript'],
      ['/static/sidebar.js', 'javascript'],
      ['/static/dialog.js', 'javascript'],
      ['/static/configure.js', 'javascript'],
    ] as const) {
      const res = await request(addon.url).get(path).expect(200);
      expect(res.headers['content-type']).toContain(type);
    }
    const dialogJs = (await request(addon.url).get('/static/dialog.js')).text;
    expect(dialogJs).toContain("'receive-parameters'");
    expect(dialogJs).toContain("'dialog-button-click'");
    expect((await request(addon.url).get('/static/tasks-page.js')).text).toContain('withToken');
  });
});
