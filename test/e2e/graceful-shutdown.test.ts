import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '../helpers/eventually';
import { spawnAddon } from '../helpers/spawn-addon';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

/** A HipChat whose capabilities document takes `delayMs` to arrive, so an install stays in flight. */
async function slowHipChat(delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === '/v2/capabilities') {
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            links: { self: `${base}/v2/capabilities`, api: `${base}/v2`, homepage: base },
            capabilities: {
              oauth2Provider: { tokenUrl: `${base}/v2/oauth/token` },
              hipchatApiProvider: { url: `${base}/v2/` },
            },
          }),
        );
      }, delayMs);
    } else if (req.url === '/v2/oauth/token') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: 'slow-token', token_type: 'bearer', expires_in: 3600, scope: 'send_notification view_room', group_id: 1 }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('graceful shutdown (SIGTERM)', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.drop());

  it('finishes the request in flight, refuses new connections, then exits 0', async () => {
    const hipchat = await slowHipChat(1500);
    const addon = await spawnAddon(database);
    try {
      const install = fetch(`${addon.url}/installable`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          oauthId: '3c2b3f1e-0000-4000-8000-0000000000aa',
          oauthSecret: 'shutdown-test-secret',
          capabilitiesUrl: `${hipchat.url}/v2/capabilities`,
          groupId: 1,
          roomId: 5,
        }),
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const exitCode = addon.stop('SIGTERM');
      // The listener closes in the same tick as this line is written (a loaded machine may take a while).
      await eventually('the shutdown to begin', () => addon.output().includes('"msg":"shutting down"'));
      await expect(fetch(`${addon.url}/healthz`)).rejects.toThrow();

      const answer = await install;
      expect(answer.status).toBe(200);
      expect(await exitCode).toBe(0);
      expect(addon.output()).toContain('"msg":"add-on stopped"');
    } finally {
      await addon.stop('SIGKILL');
      await hipchat.close();
    }
  });

  it('keeps what the finished request stored: a new process sees the installation', async () => {
    const hipchat = await slowHipChat(10);
    const first = await spawnAddon(database);
    const body = {
      oauthId: '3c2b3f1e-0000-4000-8000-0000000000bb',
      oauthSecret: 'shutdown-test-secret',
      capabilitiesUrl: `${hipchat.url}/v2/capabilities`,
      groupId: 1,
    };
    try {
      const res = await fetch(`${first.url}/installable`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      expect(await first.stop('SIGINT')).toBe(0);
      const second = await spawnAddon(database);
      try {
        // The uninstall is refused while HipChat still issues tokens: proof the installation survived.
        const del = await fetch(`${second.url}/installable/${body.oauthId}`, { method: 'DELETE' });
        expect(del.status).toBe(202);
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop('SIGKILL');
      await hipchat.close();
    }
  });
});
