import crypto from 'node:crypto';
import type { Db } from '../../store/db';
import type { Logger } from '../../shared/logger';
import type { BackgroundTask } from '../../shared/background-task';
import { HipChatUnreachableError, type ApiResult, type HipChatClient } from '../api/hipchat-client';
import { TokenRequestError } from '../api/request-access-token';
import type { CredentialProviders, ResolvedCredentials } from './delivery-target';
import type { DeliveryEvents } from './delivery-events';
import { HostSlots } from './host-slots';
import { OUTBOX_CHANNEL, type OutboxItem, type OutboxStore } from './outbox-store';
import type { PaceKeys, RatePacer } from './rate-pacer';
import { DEFAULT_RETRY, decide, transientFailure, type Outcome, type RetryOptions } from './retry-policy';

/** The least wait after a 429, doubled for each further 429 in a row for the same item, up to the cap. */
const RATE_LIMIT_BACKOFF_MS = 1_000;
const MAX_RATE_LIMIT_BACKOFF_MS = 300_000;

export interface OutboxWorkerOptions {
  workerId?: string;
  /** Polling besides LISTEN/NOTIFY: picks up retries that came due and work NOTIFY missed. */
  pollIntervalMs?: number;
  /** How long a claim lasts; a crashed instance's claims become claimable after it. */
  leaseMs?: number;
  /** Rooms handled at once by this instance. */
  concurrency?: number;
  /** Rooms (so calls) in flight to one HipChat host at once, at most: a slow host keeps to this share. */
  maxPerHost?: number;
  /** Items of one room claimed together (delivered one after another). */
  batchPerRoom?: number;
  retry?: RetryOptions;
  /** Wait for a rate limit in process up to this long; longer waits go back to the table. */
  maxInProcessWaitMs?: number;
  /** How long `stop` lets in-flight calls finish before handing claims back anyway. */
  stopGraceMs?: number;
}

/**
 * Delivers the outbox at least once, in order per room, pacing itself to HipChat's limits. Any number
 * of workers (in one or many processes) can share one table.
 */
export class OutboxWorker implements BackgroundTask {
  readonly name = 'hipchat-outbox-worker';
  readonly workerId: string;
  private readonly options: Required<Omit<OutboxWorkerOptions, 'workerId'>>;
  private readonly active = new Set<Promise<void>>();
  /** room_keys this worker is delivering now: never claimed again by itself while it works on them. */
  private readonly roomsInFlight = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = false;
  private claiming: Promise<void> | undefined;
  private claimAgain = false;
  private unlisten: (() => Promise<void>) | undefined;
  private wakeSleepers: Array<() => void> = [];
  private readonly hosts: HostSlots;

  constructor(
    private readonly db: Db,
    private readonly store: OutboxStore,
    private readonly client: HipChatClient,
    private readonly providers: CredentialProviders,
    private readonly pacer: RatePacer,
    private readonly events: DeliveryEvents,
    private readonly logger: Logger,
    options: OutboxWorkerOptions = {},
  ) {
    this.workerId = options.workerId ?? `${process.pid}-${crypto.randomUUID()}`;
    const leaseMs = options.leaseMs ?? 60_000;
    this.options = {
      pollIntervalMs: options.pollIntervalMs ?? 500,
      leaseMs,
      concurrency: options.concurrency ?? 32,
      maxPerHost: options.maxPerHost ?? 8,
      batchPerRoom: options.batchPerRoom ?? 10,
      retry: options.retry ?? DEFAULT_RETRY,
      maxInProcessWaitMs: options.maxInProcessWaitMs ?? Math.floor(leaseMs / 3),
      stopGraceMs: options.stopGraceMs ?? 5_000,
    };
    this.hosts = new HostSlots(this.options.maxPerHost);
  }

  /** Whether the worker is taking work (for /readyz). */
  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unlisten = await this.db.listen(OUTBOX_CHANNEL, () => this.kick());
    const poll = setInterval(() => this.kick(), this.options.pollIntervalMs);
    poll.unref();
    this.timers.add(poll);
    this.kick();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const wake of this.wakeSleepers.splice(0)) wake();
    await this.unlisten?.().catch(() => undefined);
    const grace = new Promise((resolve) => setTimeout(resolve, this.options.stopGraceMs).unref());
    await Promise.race([Promise.allSettled([this.claiming, ...this.active]), grace]);
    await this.store.releaseClaims(this.workerId).catch((error: Error) => {
      this.logger.warn({ err: error.message }, 'could not release outbox claims; they expire with their lease');
    });
  }

  /** Looks for due work now (called on NOTIFY, on the poll timer, and when an item finishes). */
  kick(): void {
    if (!this.running) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = this.claimLoop()
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'outbox claim failed'))
      .finally(() => {
        this.claiming = undefined;
        if (this.claimAgain) this.kick();
      });
  }

  private async claimLoop(): Promise<void> {
    for (;;) {
      this.claimAgain = false;
      const free = this.options.concurrency - this.active.size;
      if (!this.running || free <= 0) return;
      const rooms = await this.store.claim(this.workerId, free, this.options.batchPerRoom, this.options.leaseMs, {
        hosts: this.hosts.full(),
        rooms: [...this.roomsInFlight],
      });
      const overShare: string[] = [];
      for (const items of rooms) {
        const host = items[0]?.apiHost ?? '';
        if (!this.hosts.tryAcquire(host)) {
          // One claim can bring more rooms of a host than its share; they go back untouched, and the next
          // claim skips that host while it is full.
          overShare.push(...items.map((item) => item.id));
          continue;
        }
        const room = items[0]?.roomKey ?? '';
        this.roomsInFlight.add(room);
        this.track(
          this.processRoom(items).finally(() => {
            this.roomsInFlight.delete(room);
            this.hosts.release(host);
          }),
        );
      }
      await this.store.release(overShare, this.workerId);
      if (rooms.length < free && !this.claimAgain) return;
    }
  }

  private track(work: Promise<void>): void {
    const done = work
      .catch((error: Error) => this.logger.error({ err: error.message }, 'outbox item failed unexpectedly'))
      .finally(() => {
        this.active.delete(done);
        this.kick();
      });
    this.active.add(done);
  }

  /**
   * Delivers a room's claimed items in order; once one is put back, the rest go back with it. While it
   * works, a heartbeat keeps extending the claims it still holds, so a slow token exchange or HipChat
   * call never lets the lease lapse and the items be claimed (and sent) a second time.
   */
  private async processRoom(items: OutboxItem[]): Promise<void> {
    let held = items.map((item) => item.id);
    const heartbeat = setInterval(() => {
      this.store.extend(held, this.workerId, this.options.leaseMs).catch((error: Error) => {
        this.logger.warn({ err: error.message }, 'could not extend outbox claims');
      });
    }, Math.max(10, Math.floor(this.options.leaseMs / 3)));
    heartbeat.unref();
    try {
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as OutboxItem;
        held = items.slice(i).map((next) => next.id);
        const rest = held.slice(1);
        let finished = false;
        try {
          finished = await this.process(item);
        } finally {
          if (!finished) await this.store.release(rest, this.workerId);
        }
        if (!finished) return;
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** true when the item is done (delivered or dead-lettered); false when it was put back for later. */
  private async process(item: OutboxItem): Promise<boolean> {
    const provider = this.providers[item.target.kind];
    if (!provider) return this.finish(item, { kind: 'fail', error: `no credential provider for ${item.target.kind} targets` });
    let reauthenticated = false;
    let rateLimited = 0;
    for (;;) {
      let credentials: ResolvedCredentials | undefined;
      try {
        credentials = await provider.resolve(item.target);
      } catch (error) {
        return this.finish(item, this.credentialFailure(item, error));
      }
      if (!credentials) return this.finish(item, { kind: 'fail', error: 'target no longer exists (uninstalled or disconnected)' });

      const keys: PaceKeys = {
        token: credentials.rateLimitKey,
        room: item.countsAsMessage ? `${credentials.apiUrl.replace(/\/+$/, '')}#room:${item.target.roomId}` : undefined,
      };
      if (!(await this.waitForBudget(item, () => this.pacer.reserve(keys)))) return false;

      let result: ApiResult;
      try {
        result = await this.client.call(credentials, item.request);
      } catch (error) {
        this.pacer.complete(keys, {});
        if (!(error instanceof HipChatUnreachableError)) throw error;
        return this.finish(item, transientFailure(error.message, item.attempts, this.options.retry));
      }
      this.pacer.complete(keys, { token: result.rateLimit, room: result.floodControl });

      const outcome = decide(result, { attemptsSoFar: item.attempts, reauthenticated }, this.options.retry);
      if (outcome.kind === 'reauthenticate') {
        reauthenticated = true;
        await provider.invalidate(item.target);
        continue;
      }
      if (outcome.kind === 'rate_limited') {
        const delayMs = this.noteRateLimit(keys, result, ++rateLimited);
        this.events.emit('rate_limited', { id: item.id, delayMs });
        continue; // the blocked budget makes the next reservation wait
      }
      return this.finish(item, outcome);
    }
  }

  /**
   * Waits until `reserve` grants a request (it takes the budget when it answers 0). A long wait goes
   * back to the table instead of holding the claim; false = the item was handed back.
   */
  private async waitForBudget(item: OutboxItem, reserve: () => number): Promise<boolean> {
    for (;;) {
      if (!this.running) {
        await this.store.defer(item.id, this.workerId, 0);
        return false;
      }
      const wait = reserve();
      if (wait <= 0) return true;
      if (wait > this.options.maxInProcessWaitMs) {
        await this.store.defer(item.id, this.workerId, wait);
        this.wakeAfter(wait);
        return false;
      }
      await this.sleep(wait);
    }
  }

  /**
   * Reads when HipChat will take requests again from a 429, and blocks the budget(s) concerned. HipChat's
   * time (Retry-After, a reset header) replaces the window the pacer assumed, but never comes sooner than
   * a back-off that doubles with each 429 in a row for this item (1 s, 2 s, 4 s … up to 5 min): a host
   * answering 429 with a tiny Retry-After, or a reset already past, must not be called in a tight loop.
   * A 429 with no usable time waits out the assumed window as well.
   */
  private noteRateLimit(keys: PaceKeys, result: ApiResult, inARow: number): number {
    const now = Date.now();
    const floor = now + Math.min(RATE_LIMIT_BACKOFF_MS * 2 ** (inARow - 1), MAX_RATE_LIMIT_BACKOFF_MS);
    let named = result.retryAfterMs !== undefined && result.retryAfterMs > 0 ? now + result.retryAfterMs : 0;
    if (result.rateLimit && result.rateLimit.remaining <= 0 && result.rateLimit.resetAtMs > now) {
      this.pacer.block(keys.token, Math.max(result.rateLimit.resetAtMs, floor));
      named = Math.max(named, result.rateLimit.resetAtMs);
    }
    if (keys.room !== undefined && result.floodControl && result.floodControl.remaining <= 0 && result.floodControl.resetAtMs > now) {
      this.pacer.block(keys.room, Math.max(result.floodControl.resetAtMs, floor));
      named = Math.max(named, result.floodControl.resetAtMs);
    }
    const key = keys.room ?? keys.token;
    if (named === 0) return this.pacer.blockAtLeast(key, floor) - now;
    const until = Math.max(named, floor);
    this.pacer.block(key, until);
    return until - now;
  }

  private credentialFailure(item: OutboxItem, error: unknown): Outcome {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof TokenRequestError && error.credentialsRefused) {
      return { kind: 'fail', error: `access token refused: ${message}` };
    }
    return transientFailure(message, item.attempts, this.options.retry);
  }

  private async finish(item: OutboxItem, outcome: Outcome): Promise<boolean> {
    switch (outcome.kind) {
      case 'delivered':
        await this.store.markDelivered(item.id, this.workerId);
        this.events.emit('delivered', { id: item.id, operation: item.operation, attempts: item.attempts + 1 });
        return true;
      case 'retry':
        await this.store.scheduleRetry(item.id, this.workerId, outcome.delayMs, outcome.error);
        this.events.emit('retried', { id: item.id, error: outcome.error, delayMs: outcome.delayMs });
        this.wakeAfter(outcome.delayMs);
        return false;
      case 'fail':
        await this.store.markFailed(item.id, this.workerId, outcome.error);
        this.logger.warn({ deliveryId: item.id, operation: item.operation, error: outcome.error }, 'delivery dead-lettered');
        this.events.emit('failed', { id: item.id, error: outcome.error });
        return true;
      default:
        throw new Error(`unexpected outcome ${outcome.kind}`);
    }
  }

  private wakeAfter(delayMs: number): void {
    if (!this.running) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.kick();
    }, delayMs + 1);
    timer.unref();
    this.timers.add(timer);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeSleepers = this.wakeSleepers.filter((w) => w !== wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeSleepers.push(wake);
    });
  }
}
