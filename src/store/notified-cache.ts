import { LRUCache } from 'lru-cache';
import type { Db, Queryable } from './db';

export interface NotifiedCacheOptions<V> {
  /** The NOTIFY channel that carries keys to drop. */
  channel: string;
  max?: number;
  /** With `maxSize`: bounds the total of `sizeOf(value)` (a positive integer); a larger value is not cached. */
  sizeOf?: (value: V) => number;
  maxSize?: number;
  /** Bound on staleness should a notification be lost while the LISTEN connection reconnects. */
  ttlMs?: number;
}

/**
 * A read-through cache of values derived from the database, shared-nothing between instances yet
 * never stale for long: a writer calls `invalidate(key, tx)` inside its transaction, and the NOTIFY
 * reaches every instance (this one too) when the transaction commits. Nothing is cached while the
 * subscription is down, and a load that an invalidation overtook is not cached.
 */
export class NotifiedCache<V extends NonNullable<unknown>> {
  private readonly cache: LRUCache<string, V>;
  /** Bumped by every invalidation: a load that any invalidation overtook is returned but not cached. */
  private epoch = 0;
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: NotifiedCacheOptions<V>,
  ) {
    this.cache = new LRUCache({
      max: options.max ?? 10_000,
      ttl: options.ttlMs ?? 60_000,
      ...(options.sizeOf && options.maxSize ? { sizeCalculation: options.sizeOf, maxSize: options.maxSize } : {}),
    });
  }

  readonly name = 'notified-cache';

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const epoch = this.epoch;
    const value = await load();
    if (this.unsubscribe && this.epoch === epoch) this.cache.set(key, value);
    return value;
  }

  /** Announces that `key` changed; inside a transaction it is delivered only if that commits. */
  async invalidate(key: string, tx: Queryable = this.db): Promise<void> {
    this.drop(key);
    await tx.query('SELECT pg_notify($1, $2)', [this.options.channel, key]);
  }

  /**
   * Drops `key` here at once. Call it after the writing transaction commits: a read in this process
   * between the commit and the arrival of its NOTIFY must not see the old value.
   */
  forget(key: string): void {
    this.drop(key);
  }

  async start(): Promise<void> {
    if (this.unsubscribe) return;
    this.unsubscribe = await this.db.listen(this.options.channel, (key) => this.drop(key));
  }

  async stop(): Promise<void> {
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    this.cache.clear();
    if (unsubscribe) await unsubscribe();
  }

  private drop(key: string): void {
    this.cache.delete(key);
    this.epoch++;
  }
}
