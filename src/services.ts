import type { AxiosInstance } from 'axios';
import type { Config } from './config';
import { loadDescriptor } from './hipchat/descriptor/load-descriptor';
import type { Descriptor } from './hipchat/descriptor/render-descriptor';
import { createHttpClient } from './hipchat/api/http-client';
import { InstallationCache } from './hipchat/installations/installation-cache';
import { InstallationStore } from './hipchat/installations/installation-store';
import { JwtVerifier } from './hipchat/jwt/jwt-verifier';
import { Metrics } from './ops/metrics';
import type { ReadinessCheck } from './ops/ops-routes';
import type { Logger } from './shared/logger';
import type { Db } from './store/db';
import { SecretBox } from './store/secret-box';

/** Something that runs in the background for the life of the process (outbox worker, re-checks…). */
export interface BackgroundTask {
  name: string;
  start(): Promise<void> | void;
  /** Stops taking new work and lets current work end (bounded by the caller). */
  stop(): Promise<void>;
}

/** Everything the HTTP layer and workers use, built once at start-up from config and the database. */
export interface Services {
  config: Config;
  logger: Logger;
  db: Db;
  http: AxiosInstance;
  secrets: SecretBox;
  descriptor: Descriptor;
  installations: InstallationStore;
  /** Installations by oauthId for JWT checks, invalidated through LISTEN/NOTIFY. */
  installationCache: InstallationCache;
  /** Verifies the JWT HipChat signs on webhooks, glances, pages and the add-on's API (see requireJwt). */
  jwt: JwtVerifier;
  metrics: Metrics;
  /** Parts /readyz reports on besides the database (e.g. the outbox worker). */
  readinessChecks: ReadinessCheck[];
  background: BackgroundTask[];
}

export function createServices(config: Config, db: Db, logger: Logger): Services {
  const secrets = new SecretBox(config.encryptionKey);
  if (!secrets.encrypts && config.nodeEnv === 'production') {
    logger.warn('ENCRYPTION_KEY is not set: OAuth secrets and tokens are stored unencrypted');
  }
  const installations = new InstallationStore(db, secrets);
  const metrics = new Metrics();
  const installationCache = new InstallationCache(installations, { logger });
  const jwt = new JwtVerifier(installationCache, {
    clockSkewSeconds: config.jwtClockSkewSeconds,
    logger,
    onRefusal: (reason) => metrics.jwtRefusals.inc({ reason }),
  });
  return {
    config,
    logger,
    db,
    http: createHttpClient(),
    secrets,
    descriptor: loadDescriptor(config.baseUrl),
    installations,
    installationCache,
    jwt,
    metrics,
    readinessChecks: [],
    background: [installationCache],
  };
}
