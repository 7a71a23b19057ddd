import type { AxiosInstance } from 'axios';
import type { BackgroundTask } from '../../shared/background-task';
import type { Logger } from '../../shared/logger';
import type { RateLimit } from '../../shared/rate-limit';
import type { Db } from '../../store/db';
import type { SecretBox } from '../../store/secret-box';
import { HipChatClient } from '../api/hipchat-client';
import { TokenService } from '../api/token-service';
import type { Installation } from '../installations/installation';
import type { InstallationStore } from '../installations/installation-store';
import type { CredentialProviders } from './delivery-target';
import { DeliveryEvents } from './delivery-events';
import { InstallationCredentialProvider } from './installation-credential-provider';
import { NotificationService } from './notification-service';
import { OutboxStore } from './outbox-store';
import { OutboxWorker, type OutboxWorkerOptions } from './outbox-worker';
import { RatePacer } from './rate-pacer';

/** The limits delivery paces itself by (the composition root takes them from Config). */
export interface DeliveryLimits {
  /** HipChat's API limit per token. */
  apiRateLimit: RateLimit;
  /** HipChat's flood control per room. */
  roomFloodLimit: RateLimit;
  /** A room whose pending messages need longer than this to pass its flood limit refuses more; undefined = no bound. */
  roomBacklogSeconds?: number;
}

export interface DeliveryDeps {
  config: DeliveryLimits;
  db: Db;
  http: AxiosInstance;
  secrets: SecretBox;
  installations: InstallationStore;
  /** Where installations are looked up for each delivery (the store, or a cache in front of it). */
  installationLookup?: { get(oauthId: string): Promise<Installation | undefined> };
  scopes: string[];
  logger: Logger;
}

export interface Delivery {
  tokens: TokenService;
  hipchat: HipChatClient;
  notifications: NotificationService;
  credentialProviders: CredentialProviders;
  outbox: OutboxStore;
  events: DeliveryEvents;
  worker: OutboxWorker;
  /** Starts/stops the token cache's subscription and the worker: add it to services.background. */
  task: BackgroundTask;
}

/** Wires the token service, REST client, outbox and its worker; `credentialProviders` may gain kinds later. */
export function createDelivery(deps: DeliveryDeps, workerOptions: OutboxWorkerOptions = {}): Delivery {
  const events = new DeliveryEvents();
  const tokens = new TokenService(deps.db, deps.secrets, deps.http, deps.installations, {
    scopes: deps.scopes,
    onTokenRequest: (outcome) => events.emit('token_requested', { outcome }),
  });
  const hipchat = new HipChatClient(deps.http);
  const outbox = new OutboxStore(deps.db);
  const credentialProviders: CredentialProviders = {
    installation: new InstallationCredentialProvider(deps.installationLookup ?? deps.installations, deps.installations, tokens),
  };
  const pacer = new RatePacer({ token: deps.config.apiRateLimit, room: deps.config.roomFloodLimit });
  const worker = new OutboxWorker(deps.db, outbox, hipchat, credentialProviders, pacer, events, deps.logger, workerOptions);
  const notifications = new NotificationService(outbox, {
    locate: async (target, tx) => credentialProviders[target.kind]?.apiUrl?.(target, tx),
    backlog:
      deps.config.roomBacklogSeconds === undefined
        ? undefined
        : { flood: deps.config.roomFloodLimit, horizonMs: deps.config.roomBacklogSeconds * 1000 },
  });
  // The token cache listens for installation changes for as long as the worker runs.
  const task: BackgroundTask = {
    name: worker.name,
    async start() {
      await tokens.start();
      await worker.start();
    },
    async stop() {
      await worker.stop();
      await tokens.stop();
    },
  };
  return { tokens, hipchat, notifications, credentialProviders, outbox, events, worker, task };
}
