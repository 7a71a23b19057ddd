import express, { type Express } from 'express';
import { InstallationCache } from '../../src/hipchat/installations/installation-cache';
import { InstallationStore } from '../../src/hipchat/installations/installation-store';
import { JwtVerifier } from '../../src/hipchat/jwt/jwt-verifier';
import { hipchatContext, requireJwt } from '../../src/hipchat/jwt/require-jwt';
import { errorHandler } from '../../src/http/error-handler';
import { createLogger } from '../../src/shared/logger';
import type { Db } from '../../src/store/db';
import { openDb } from '../../src/store/open-db';
import { SecretBox } from '../../src/store/secret-box';
import type { TestDatabase } from '../helpers/test-database';

export const ENCRYPTION_KEY = Buffer.alloc(32, 3);

/** One add-on instance as far as JWTs go: its own Db connection, store, cache, verifier and a small app. */
export interface JwtInstance {
  db: Db;
  store: InstallationStore;
  cache: InstallationCache;
  app: Express;
  close(): Promise<void>;
}

export async function openJwtInstance(database: TestDatabase, db?: Db): Promise<JwtInstance> {
  const ownDb = db ?? (await openDb(database, createLogger('silent')));
  const store = new InstallationStore(ownDb, new SecretBox(ENCRYPTION_KEY));
  const cache = new InstallationCache(store);
  await cache.start();
  const verifier = new JwtVerifier(cache, { clockSkewSeconds: 60 });
  const app = express();
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  const describe = (res: express.Response) => {
    const { installation, ...context } = hipchatContext(res);
    res.json({ ...context, installationRoomId: installation.roomId });
  };
  app.all('/protected', requireJwt(verifier), (_req, res) => describe(res));
  app.post('/webhook', requireJwt(verifier, { webhook: true }), (_req, res) => describe(res));
  app.get('/unprotected', (_req, res) => describe(res));
  app.use(errorHandler(createLogger('silent')));
  return {
    db: ownDb,
    store,
    cache,
    app,
    async close() {
      await cache.stop();
      if (!db) await ownDb.close();
    },
  };
}

/** Retries `check` until it passes or `timeoutMs` elapses (then rethrows its last failure). */
export async function eventually(check: () => Promise<void>, timeoutMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
