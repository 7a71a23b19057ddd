import { LRUCache } from 'lru-cache';
import type { Logger } from '../../shared/logger';
import type { Installation } from './installation';
import type { InstallationStore } from './installation-store';

export interface InstallationCacheOptions {
  /** Installations kept in memory (LRU). */
  max?: number;
  /**
   * Upper bound on staleness if a change notification is ever lost (e.g. while the LISTEN
   * connection reconnects). Normal invalidation is immediate through LISTEN/NOTIFY.
   */
  ttlMs?: number;
  logger?: Logger;
}

/**
 * Installations by oauthId, cached in process for the JWT check on every request. Invalidated at
 * once when any instance sharing the database saves or deletes one (InstallationStore.subscribe).
 * Misses are never cached, so a new installation is valid everywhere at once; and nothing is cached
 * while the subscription is down, so a removal can never be missed.
 */
export class InstallationCache {
  readonly name = 'installation-cache';
  private readonly cache: LRUCache<string, Installation>;
  /** Look-ups in flight; an invalidation removes the entry so its (maybe stale) result is not cached. */
  private readonly inFlight = new Map<string, Promise<Installation | undefined>>();
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private readonly store: Pick<InstallationStore, 'get' | 'subscribe'>,
    private readonly options: InstallationCacheOptions = {},
  ) {
    this.cache = new LRUCache({ max: options.max ?? 10_000, ttl: options.ttlMs ?? 60_000 });
  }

  get listening(): boolean {
    return this.unsubscribe !== undefined;
  }

  async get(oauthId: string): Promise<Installation | undefined> {
    const cached = this.cache.get(oauthId);
    if (cached) return cached;
    const pending = this.inFlight.get(oauthId);
    if (pending) return pending;
    const lookup = this.store.get(oauthId);
    this.inFlight.set(oauthId, lookup);
    try {
      const installation = await lookup;
      if (installation && this.listening && this.inFlight.get(oauthId) === lookup) {
        this.cache.set(oauthId, installation);
      }
      return installation;
    } finally {
      if (this.inFlight.get(oauthId) === lookup) this.inFlight.delete(oauthId);
    }
  }

  invalidate(oauthId: string): void {
    this.cache.delete(oauthId);
    this.inFlight.delete(oauthId);
  }

  /** Starts listening for installation changes; until then nothing is cached. */
  async start(): Promise<void> {
    if (this.unsubscribe) return;
    this.unsubscribe = await this.store.subscribe((oauthId) => {
      this.invalidate(oauthId);
      this.options.logger?.debug({ oauthId }, 'installation cache invalidated');
    });
  }

  async stop(): Promise<void> {
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    this.cache.clear();
    if (unsubscribe) await unsubscribe();
  }
}
