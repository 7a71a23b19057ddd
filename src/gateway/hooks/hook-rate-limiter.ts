import type { RateLimit } from '../../shared/rate-limit';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * A fixed window per key (one per hook), so one noisy hook is refused without slowing the others.
 * In-process: each instance counts on its own, so N instances allow up to N times the limit.
 * Idle keys are evicted: at most once per window, every window that has ended is dropped, so the map
 * holds only keys used within about the last two windows however many hooks have ever posted.
 */
export class HookRateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private nextSweepAt: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.nextSweepAt = now() + limit.windowMs;
  }

  /** How many keys are held (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  take(key: string): RateDecision {
    const now = this.now();
    if (now >= this.nextSweepAt) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.limit.windowMs };
      this.windows.set(key, window);
    }
    if (window.count >= this.limit.limit) return { allowed: false, retryAfterMs: window.resetAt - now };
    window.count += 1;
    return { allowed: true };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    this.nextSweepAt = now + this.limit.windowMs;
  }
}
