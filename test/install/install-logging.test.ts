import { Writable } from 'node:stream';
import request from 'supertest';
import type { RunningAddon } from '../../src/runtime';
import { createLogger } from '../../src/shared/logger';
import { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { startAddonOnFreePort } from '../helpers/test-addon';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { TEST_ALLOWED_HOSTS, waitFor } from './install-testbed';

describe('install and uninstall are logged with oauthId, groupId, roomId, never the secret', () => {
  const lines: Array<Record<string, unknown>> = [];
  let raw = '';
  let hipchat: EmulatedHipChat;
  let database: TestDatabase;
  let addon: RunningAddon;

  beforeAll(async () => {
    hipchat = await EmulatedHipChat.start();
    database = await createTestDatabase();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        raw += chunk.toString();
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    addon = await startAddonOnFreePort(database, { HIPCHAT_ALLOWED_HOSTS: TEST_ALLOWED_HOSTS }, createLogger('info', sink));
  });
  afterAll(async () => {
    await addon.stop();
    await database.drop();
    await hipchat.close();
  });

  it('logs install, forged uninstall and confirmed uninstall', async () => {
    const client = hipchat.addClient();
    await request(addon.url).post('/installable').send(hipchat.installBody(client, 77)).expect(200);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 30, msg: 'installed', oauthId: client.oauthId, groupId: client.groupId, roomId: 77 }),
    );

    await request(addon.url).delete(`/installable/${client.oauthId}`).expect(202);
    await waitFor('the forged-uninstall warning', async () => lines.some((l) => l.level === 40 && l.oauthId === client.oauthId));
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, oauthId: client.oauthId, msg: expect.stringMatching(/forged/) }));

    hipchat.revoke(client.oauthId);
    await request(addon.url).delete(`/installable/${client.oauthId}`).expect(204);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 30, msg: expect.stringMatching(/^uninstalled/), oauthId: client.oauthId, groupId: client.groupId, roomId: 77 }),
    );

    await request(addon.url).post('/installable').send({ ...hipchat.installBody(hipchat.addClient()), oauthSecret: 'refused-secret-123' }).expect(403);
    expect(raw).not.toContain(client.oauthSecret);
    expect(raw).not.toContain('refused-secret-123');
  });

  it('an unreachable HipChat (anyone can name one) logs one warn line without a stack, not an error', async () => {
    hipchat.faults.add({ target: 'all', fault: { kind: 'drop' } });
    try {
      const client = hipchat.addClient();
      const before = lines.length;
      await request(addon.url).post('/installable').send(hipchat.installBody(client, 78)).expect(502);
      const logged = lines.slice(before).filter((line) => line.msg === 'request failed');
      expect(logged).toEqual([expect.objectContaining({ level: 40, status: 502, code: 'hipchat_unreachable' })]);
      expect(JSON.stringify(logged)).not.toMatch(/"stack"|"err"/);
    } finally {
      hipchat.reset();
    }
  });
});
