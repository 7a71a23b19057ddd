import request from 'supertest';
import { startEmulator, type Emulator } from '../../src/emulator';
import { isLoopbackHost } from '../../src/emulator/http/require-loopback-host';

/**
 * DNS rebinding: a web page on attacker.example re-points its name at 127.0.0.1 and then calls the
 * emulator from the victim's browser; the request arrives with `Host: attacker.example:4000`.
 */
describe('the emulator answers its control API and web client only for a loopback Host', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1' });
  });
  afterAll(() => emulator.close());

  it.each([
    ['GET', '/_emulator/state'],
    ['POST', '/_emulator/rooms'],
    ['GET', '/'],
    ['GET', '/web/api/state'],
    ['GET', '/web/api/events'],
  ])('a DNS-rebinding page (Host: attacker.example) cannot use %s %s: 403 JSON', async (method, path) => {
    const before = emulator.rooms().length;
    const req = method === 'GET' ? request(emulator.url).get(path) : request(emulator.url).post(path).send({ name: 'Rebound' });
    const res = await req.set('host', `attacker.example:${emulator.port}`);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error.message).toContain('loopback');
    expect(emulator.rooms()).toHaveLength(before);
  });

  it.each(['127.0.0.1', `127.0.0.1:${4000}`, '127.9.8.7:1', 'localhost:4000', 'LOCALHOST', '[::1]:4000', '[::1]'])(
    'answers Host %s as before',
    async (host) => {
      const res = await request(emulator.url).get('/_emulator/state').set('host', host);
      expect(res.status).toBe(200);
      expect((await request(emulator.url).get('/').set('host', host)).status).toBe(200);
    },
  );

  it('keeps HipChat’s API (used by add-ons, wherever they run) open to any Host: tokens protect it', async () => {
    const res = await request(emulator.url).get('/v2/capabilities').set('host', 'emulator.internal:4000');
    expect(res.status).toBe(200);
  });

  it.each([
    [undefined, false],
    ['', false],
    ['attacker.example', false],
    ['127.0.0.1.attacker.example', false],
    ['localhost.attacker.example', false],
    ['10.0.0.1', false],
    ['user@127.0.0.1', false],
    ['127.0.0.1/path', false],
    ['127.1', true],
    ['0x7f.0.0.1:80', true],
    ['[0:0:0:0:0:0:0:1]:80', true],
    ['localhost.', true],
  ])('isLoopbackHost(%p) is %p', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
