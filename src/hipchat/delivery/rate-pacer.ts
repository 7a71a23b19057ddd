import type { RateLimit } from '../../shared/rate-limit';
import type { LimitHeaders } from '../api/rate-limit-headers';

interface Bucket {
  limit: number;
  remaining: number;
  /** Epoch ms at which the window resets; 0 = no window open yet. */
  resetAtMs: number;
  windowMs: number;
  inFlight: number;
  /** The latest time a 429 in this window named (0: none); two 429s never shorten each other. */
  heldUntilMs: number;
}

export interface PaceKeys {
  /** Per-token budget (HipChat: 500 per 5 minutes). */
  token: string;
  /** Per-room flood budget (HipChat: 30 messages per minute); undefined for calls that are not messages. */
  room?: string;
}

/** Waking exactly on HipChat's reset instant can still land in the old window; a little slack avoids a 429. */
const RESET_SLACK_MS = 5;

/**
 * Budgets per token and per room, from config until HipChat's headers say better. `reserve` takes one
 * request from each budget or says how long to wait; `complete` corrects a budget from the
 * X-Ratelimit-* / X-FloodControl-* headers of an answer. The clock is passed in.
 *
 * A key per token and per room ever called would grow without end, so idle budgets (window over,
 * nothing in flight: exactly what a new one would be) are swept out once there are more than
 * `sweepAbove`; the next sweep waits until the map has doubled, so sweeping costs O(1) per new key.
 */
export class RatePacer {
  private readonly buckets = new Map<string, Bucket>();
  private nextSweepAt: number;

  constructor(
    private readonly defaults: { token: RateLimit; room: RateLimit },
    private readonly now: () => number = Date.now,
    private readonly sweepAbove = 10_000,
  ) {
    this.nextSweepAt = sweepAbove;
  }

  /** Budgets currently remembered (bounded: see the class comment). */
  get size(): number {
    return this.buckets.size;
  }

  /** 0 when the request may go now (budgets taken), otherwise the milliseconds to wait first. */
  reserve(keys: PaceKeys): number {
    const now = this.now();
    const buckets = [this.bucket(keys.token, this.defaults.token, now)];
    if (keys.room !== undefined) buckets.push(this.bucket(keys.room, this.defaults.room, now));
    let wait = 0;
    for (const bucket of buckets) {
      if (bucket.remaining <= 0) wait = Math.max(wait, bucket.resetAtMs - now + RESET_SLACK_MS);
    }
    if (wait > 0) return wait;
    for (const bucket of buckets) {
      if (bucket.resetAtMs === 0) bucket.resetAtMs = now + bucket.windowMs;
      bucket.remaining -= 1;
      bucket.inFlight += 1;
    }
    return 0;
  }

  /** The reserved request finished; `headers` are what HipChat reported for each budget, if anything. */
  complete(keys: PaceKeys, headers: { token?: LimitHeaders; room?: LimitHeaders }): void {
    this.settle(keys.token, headers.token);
    if (keys.room !== undefined) this.settle(keys.room, headers.room);
  }

  /**
   * A 429 that said when to come back (Retry-After or a reset header): nothing more on that budget until
   * `untilMs`. HipChat's word replaces the window we assumed, which may end much later (minutes).
   */
  block(key: string, untilMs: number): void {
    const bucket = this.buckets.get(key);
    if (!bucket) return;
    bucket.remaining = 0;
    bucket.heldUntilMs = Math.max(bucket.heldUntilMs, untilMs);
    bucket.resetAtMs = bucket.heldUntilMs;
  }

  /**
   * A 429 without any hint: wait at least until `untilMs`, and out the window we assumed if it is longer.
   * Returns when the budget opens again.
   */
  blockAtLeast(key: string, untilMs: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return untilMs;
    bucket.remaining = 0;
    bucket.resetAtMs = Math.max(bucket.resetAtMs, untilMs);
    return bucket.resetAtMs;
  }

  private bucket(key: string, fallback: RateLimit, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.nextSweepAt) this.sweep(now);
      bucket = { limit: fallback.limit, remaining: fallback.limit, resetAtMs: 0, windowMs: fallback.windowMs, inFlight: 0, heldUntilMs: 0 };
      this.buckets.set(key, bucket);
    }
    if (bucket.resetAtMs !== 0 && now >= bucket.resetAtMs) {
      // The window we knew is over; the next one opens with our first request (headers will correct it).
      bucket.remaining = bucket.limit;
      bucket.resetAtMs = 0;
      bucket.heldUntilMs = 0;
    }
    return bucket;
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.inFlight === 0 && (bucket.resetAtMs === 0 || bucket.resetAtMs <= now)) this.buckets.delete(key);
    }
    this.nextSweepAt = Math.max(this.sweepAbove, 2 * this.buckets.size);
  }

  private settle(key: string, headers: LimitHeaders | undefined): void {
    const bucket = this.buckets.get(key);
    if (!bucket) return;
    bucket.inFlight = Math.max(0, bucket.inFlight - 1);
    if (!headers) return;
    const now = this.now();
    if (headers.resetAtMs <= now) return; // about a window that is already over
    // Requests still in flight may not be counted in HipChat's figure yet: assume they will be.
    const remaining = Math.max(0, headers.remaining - bucket.inFlight);
    bucket.limit = headers.limit;
    if (Math.abs(headers.resetAtMs - bucket.resetAtMs) < 1) {
      bucket.remaining = Math.min(bucket.remaining, remaining);
    } else {
      bucket.resetAtMs = headers.resetAtMs;
      bucket.remaining = remaining;
    }
  }
}
