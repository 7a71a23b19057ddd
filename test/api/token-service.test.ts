import { createHttpClient } from '../../src/hipchat/api/http-client';
import { refreshMarginMs, TokenService } from '../../src/hipchat/api/token-service';
import { InstallationStore } from '../../src/hipchat/installations/installation-store';
import { createLogger } from '../../src/shared/logger';
import type { Db } from '../../src/store/db';
import { openDb } from '../../src/store/open-db';
import { SecretBox } from '../../src/store/secret-box';
import type { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-database';
import { install, KEY, messagesIn, openStack, pendingCount, room, SCOPES, startHipChat, waitFor, type Stack } from '../delivery/delivery-harness';

describe("TokenService against the emulator's token endpoint", () => {
  let database: TestDatabase;
  let stack: Stack;
  let hipchat: EmulatedHipChat;
  const requestsFor = (oauthId: string) => hipchat.tokenRequests(oauthId);
  /** The token endpoint answers only after `ms` (0: at once); a request is counted on arrival. */
  const slowTokens = (ms: number) => {
    hipchat.reset();
    if (ms > 0) hipchat.faults.add({ target: 'token', fault: { kind: 'delay', ms } });
  };

  beforeAll(async () => {
    hipchat = await startHipChat();
    database = await createTestDatabase();
    stack = await openStack(database, { worker: { concurrency: 64 } });
  });
  afterAll(async () => {
    await stack.close();
    await hipchat.close();
    await database.drop();
  });

  it('keeps the refresh margin at 60 s for long tokens and 10% for short ones', () => {
    expect(refreshMarginMs(3_600_000)).toBe(60_000);
    expect(refreshMarginMs(2_000)).toBe(200);
  });

  it('asks for a token with client credentials and the descriptor scopes, and stores it sealed', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    const installation = await stack.installations.get(oauthId);
    const token = await stack.tokens.getToken(installation!);
    // 200: the emulator grants a token only for the client's current secret and granted scopes.
    expect(requestsFor(oauthId).map((r) => ({ oauthId: r.oauthId, body: r.body, status: r.status }))).toEqual([
      { oauthId, body: { grant_type: 'client_credentials', scope: SCOPES.join(' ') }, status: 200 },
    ]);
    const { rows } = await stack.db.query<{ access_token: string }>('SELECT access_token FROM access_tokens WHERE oauth_id = $1', [oauthId]);
    expect(rows[0]?.access_token).toMatch(/^v1:/);
    expect(rows[0]?.access_token).not.toContain(token.accessToken);
  });

  it('1000 concurrent sends to one installation cause exactly one token request', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    slowTokens(50);
    try {
      const sends = Array.from({ length: 1000 }, (_, i) =>
        stack.notifications.sendRoomNotification(room(oauthId, 100 + (i % 50)), { message: `n${Math.floor(i / 50)}` }),
      );
      await Promise.all(sends);
      // A generous deadline: this asserts counts, not speed (PGlite on a loaded 2-core machine is slow).
      await waitFor(async () => (await pendingCount(stack.db)) === 0, 50_000, 'all 1000 delivered');
    } finally {
      slowTokens(0);
    }
    expect(requestsFor(oauthId)).toHaveLength(1);
    expect(hipchat.received().filter((r) => r.oauthId === oauthId)).toHaveLength(1000);
    expect(messagesIn(hipchat, 100)).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`));
  }, 60_000);

  it('1000 concurrent getToken calls in one process share one request', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    const installation = (await stack.installations.get(oauthId))!;
    slowTokens(30);
    try {
      const tokens = await Promise.all(Array.from({ length: 1000 }, () => stack.tokens.getToken(installation)));
      expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    } finally {
      slowTokens(0);
    }
    expect(requestsFor(oauthId)).toHaveLength(1);
  });

  it('refreshes a token shortly before it expires', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    const installation = (await stack.installations.get(oauthId))!;
    hipchat.emulator.setTokenLifetime(0.5);
    try {
      const first = await stack.tokens.getToken(installation);
      expect((await stack.tokens.getToken(installation)).accessToken).toBe(first.accessToken);
      expect(first.refreshAt.getTime()).toBeLessThan(first.expiresAt.getTime());
      await new Promise((resolve) => setTimeout(resolve, first.refreshAt.getTime() - Date.now() + 10));
      const second = await stack.tokens.getToken(installation);
      expect(second.accessToken).not.toBe(first.accessToken);
    } finally {
      hipchat.emulator.setTokenLifetime(3600);
    }
    expect(requestsFor(oauthId)).toHaveLength(2);
  });

  it('never reuses a token obtained with an old secret after an update', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    const first = await stack.tokens.getToken((await stack.installations.get(oauthId))!);
    hipchat.rotateSecret(oauthId, 'a-new-secret');
    const updated = { ...(await stack.installations.get(oauthId))!, oauthSecret: 'a-new-secret' };
    await stack.installations.save(updated);
    const second = await stack.tokens.getToken((await stack.installations.get(oauthId))!);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(requestsFor(oauthId)).toHaveLength(2);
  });

  it('a second instance reuses the token the first stored, and concurrent instances fetch once', async () => {
    // On Postgres the second instance has its own pool (another process in all but name); PGlite
    // allows one process per data directory, so there the instances share the Db.
    let otherDb: Db = stack.db;
    if (onPostgres) otherDb = await openDb(database, createLogger('silent'));
    try {
      const otherInstallations = new InstallationStore(otherDb, new SecretBox(KEY));
      const other = new TokenService(otherDb, new SecretBox(KEY), createHttpClient(), otherInstallations, { scopes: SCOPES });

      const { oauthId } = await install(hipchat, stack.installations);
      const mine = await stack.tokens.getToken((await stack.installations.get(oauthId))!);
      const theirs = await other.getToken((await otherInstallations.get(oauthId))!);
      expect(theirs.accessToken).toBe(mine.accessToken);
      expect(requestsFor(oauthId)).toHaveLength(1);

      const fresh = await install(hipchat, stack.installations);
      slowTokens(100);
      try {
        const [a, b] = await Promise.all([
          stack.tokens.getToken((await stack.installations.get(fresh.oauthId))!),
          other.getToken((await otherInstallations.get(fresh.oauthId))!),
        ]);
        expect(a.accessToken).toBe(b.accessToken);
      } finally {
        slowTokens(0);
      }
      expect(requestsFor(fresh.oauthId)).toHaveLength(1);
    } finally {
      if (otherDb !== stack.db) await otherDb.close();
    }
  });

  it('invalidate drops the refused token everywhere, so the next call fetches a new one', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    const installation = (await stack.installations.get(oauthId))!;
    const first = await stack.tokens.getToken(installation);
    await stack.tokens.invalidate(oauthId, first.accessToken);
    const { rowCount } = await stack.db.query('SELECT 1 FROM access_tokens WHERE oauth_id = $1', [oauthId]);
    expect(rowCount).toBe(0);
    const second = await stack.tokens.getToken(installation);
    expect(second.accessToken).not.toBe(first.accessToken);
  });

  it('deletes stored tokens with the installation (ON DELETE CASCADE)', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    await stack.tokens.getToken((await stack.installations.get(oauthId))!);
    await stack.installations.delete(oauthId);
    const { rowCount } = await stack.db.query('SELECT 1 FROM access_tokens WHERE oauth_id = $1', [oauthId]);
    expect(rowCount).toBe(0);
  });
});
