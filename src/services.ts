import type { AxiosInstance } from 'axios';
import type { Config } from './config';
import type { HipChatClient } from './hipchat/api/hipchat-client';
import type { TokenService } from './hipchat/api/token-service';
import { createDelivery } from './hipchat/delivery/create-delivery';
import { connectDeliveryMetrics } from './hipchat/delivery/delivery-metrics';
import type { DeliveryEvents } from './hipchat/delivery/delivery-events';
import type { CredentialProviders } from './hipchat/delivery/delivery-target';
import type { NotificationService } from './hipchat/delivery/notification-service';
import { createHttpClient } from './hipchat/api/http-client';
import { createUninstallRecheckTask } from './hipchat/install/uninstall-recheck-task';
import { InstallationCache } from './hipchat/installations/installation-cache';
import { InstallationStore } from './hipchat/installations/installation-store';
import { JwtVerifier } from './hipchat/jwt/jwt-verifier';
import { RoomAdminAuthority } from './hipchat/authz/room-admin-authority';
import { ReplayGuard } from './hipchat/replay/replay-guard';
import { UsedJtiPurgeTask } from './hipchat/replay/used-jti-purge-task';
import { Metrics } from './ops/metrics';
import type { ReadinessCheck } from './ops/ops-routes';
import type { BackgroundTask } from './shared/background-task';
import type { Logger } from './shared/logger';
import type { Db } from './store/db';
import { SecretBox } from './store/secret-box';

/**
 * The core's services, built once at start-up from config and the database. Modules get them through
 * their setup (ModuleServices); nothing in the core reaches back here.
 */
export interface Services {
  config: Config;
  logger: Logger;
  db: Db;
  http: AxiosInstance;
  secrets: SecretBox;
  installations: InstallationStore;
  /** Installations by oauthId for JWT checks, invalidated through LISTEN/NOTIFY. */
  installationCache: InstallationCache;
  /** Verifies the JWT HipChat signs on webhooks, glances, pages and the add-on's API (see requireJwt). */
  jwt: JwtVerifier;
  /** Makes each state-changing signed request take effect once (per oauthId and jti, across instances). */
  replay: ReplayGuard;
  metrics: Metrics;
  /** Access tokens per installation (cached in process and in the database). */
  tokens: TokenService;
  /** Direct REST calls to HipChat (no retries); prefer `notifications`, which queues them durably. */
  hipchat: HipChatClient;
  /** Queues calls to HipChat's REST API in the outbox; the outbox worker delivers them. */
  notifications: NotificationService;
  /** How to call HipChat per delivery target kind ('installation' here; the gateway module adds 'room_token'). */
  credentialProviders: CredentialProviders;
  deliveryEvents: DeliveryEvents;
  /** Whether a JWT's user is an admin of a room (group admin or room owner), asked of HipChat and cached. */
  roomAdmins: RoomAdminAuthority;
  /** Parts /readyz reports on besides the database (e.g. the outbox worker). */
  readinessChecks: ReadinessCheck[];
  background: BackgroundTask[];
}

/** What the modules ask of the core before it exists: the scopes every access token requests. */
export interface CoreOptions {
  scopes: string[];
}

export function createServices(config: Config, db: Db, logger: Logger, core: CoreOptions): Services {
  const secrets = new SecretBox(config.encryptionKey, config.encryptionKeyPrevious);
  if (!secrets.encrypts && config.nodeEnv === 'production') {
    logger.warn('ENCRYPTION_KEY is not set and ALLOW_PLAINTEXT_SECRETS=true: OAuth secrets and tokens are stored unencrypted');
  }
  if (!config.metricsToken && config.nodeEnv === 'production') {
    logger.warn('METRICS_TOKEN is not set: /metrics answers 403 (metrics_disabled) in production');
  }
  const installations = new InstallationStore(db, secrets);
  const http = createHttpClient(config.hipchatHttpTimeoutMs);
  const metrics = new Metrics();
  const installationCache = new InstallationCache(installations, { logger });
  const jwt = new JwtVerifier(installationCache, {
    clockSkewSeconds: config.jwtClockSkewSeconds,
    logger,
    onRefusal: (reason) => metrics.jwtRefusals.inc({ reason }),
  });
  const replay = new ReplayGuard(db, { clockSkewSeconds: config.jwtClockSkewSeconds });
  const delivery = createDelivery({
    config,
    db,
    http,
    secrets,
    installations,
    installationLookup: installationCache,
    scopes: core.scopes,
    logger,
  }, { leaseMs: config.outboxLeaseMs, maxPerHost: config.hipchatMaxCallsPerHost });
  connectDeliveryMetrics(delivery.events, delivery.outbox, metrics);
  const roomAdmins = new RoomAdminAuthority(
    { tokens: delivery.tokens, client: delivery.hipchat, subscribe: (onChange) => installations.subscribe(onChange) },
    {
      adminTtlMs: config.roomAdminCacheMs.adminMs,
      nonAdminTtlMs: config.roomAdminCacheMs.nonAdminMs,
      logger,
      onRefusal: (reason) => metrics.authorizationRefusals.inc({ reason }),
    },
  );
  return {
    config,
    logger,
    db,
    http,
    secrets,
    installations,
    installationCache,
    jwt,
    replay,
    metrics,
    tokens: delivery.tokens,
    hipchat: delivery.hipchat,
    notifications: delivery.notifications,
    credentialProviders: delivery.credentialProviders,
    deliveryEvents: delivery.events,
    roomAdmins,
    readinessChecks: [
      { name: 'outbox_worker', check: () => (delivery.worker.isRunning ? undefined : 'not running') },
    ],
    background: [
      installationCache,
      roomAdmins,
      delivery.task,
      createUninstallRecheckTask({
        db,
        installations,
        http,
        logger,
        metrics,
        recheckSeconds: config.uninstallRecheckSeconds,
        probeIntervalSeconds: config.uninstallProbeIntervalSeconds,
      }),
      new UsedJtiPurgeTask({
        purge: (now, limit) => replay.purgeExpired(now, limit),
        logger,
        marginSeconds: config.jwtClockSkewSeconds,
      }),
    ],
  };
}
