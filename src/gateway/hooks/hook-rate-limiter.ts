import type { RateLimit } from '../../config';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * A fixed window per key (one per hook), so one noisy hook is refused without slowing the others.
 * In-process: each instance counts on its own, so N instances allow up to N times the limit.
 */
export class HookRateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    /** Above this many keys, expired windows are swept out, bounding memory. */
    private readonly sweepAbove = 10_000,
  ) {}

  take(key: string): RateDecision {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (!window && this.windows.size >= this.sweepAbove) this.sweep(now);
      window = { count: 0, resetAt: now + this.limit.windowMs };
      this.windows.set(key, window);
    }
    if (window.count >= this.limit.limit) return { allowed: false, retryAfterMs: window.resetAt - now };
    window.count += 1;
    return { allowed: true };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
