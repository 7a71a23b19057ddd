import type { WindowLimit } from './types';

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch milliseconds at which the current window ends. */
  resetAtMs: number;
  windowMs: number;
}

/**
 * Fixed windows aligned to multiples of the window length since the epoch (HipChat's
 * X-Ratelimit-Reset was a wall-clock boundary). Pure apart from its counters; the clock is passed in.
 */
export class FixedWindowLimiter {
  private readonly counters = new Map<string, { windowStart: number; count: number }>();
  /** Counters of ended windows are dropped when a new window starts, so idle tokens are not kept forever. */
  private sweptWindow = 0;

  constructor(private config: WindowLimit) {}

  configure(config: WindowLimit): void {
    this.config = config;
    this.counters.clear();
  }

  /** How many keys are counted (for tests). */
  get size(): number {
    return this.counters.size;
  }

  get settings(): WindowLimit {
    return { ...this.config };
  }

  /** Counts one request for `key` and says whether it is within the limit. */
  hit(key: string, nowMs: number): LimitDecision {
    const { limit, windowMs } = this.config;
    const windowStart = Math.floor(nowMs / windowMs) * windowMs;
    if (windowStart > this.sweptWindow) {
      for (const [k, c] of this.counters) if (c.windowStart < windowStart) this.counters.delete(k);
      this.sweptWindow = windowStart;
    }
    let counter = this.counters.get(key);
    if (!counter || counter.windowStart !== windowStart) {
      counter = { windowStart, count: 0 };
      this.counters.set(key, counter);
    }
    counter.count += 1;
    const allowed = counter.count <= limit;
    return { allowed, limit, remaining: Math.max(0, limit - counter.count), resetAtMs: windowStart + windowMs, windowMs };
  }

  /** Looks without counting (for headers on answers that do not consume the limit). */
  peek(key: string, nowMs: number): LimitDecision {
    const { limit, windowMs } = this.config;
    const windowStart = Math.floor(nowMs / windowMs) * windowMs;
    const counter = this.counters.get(key);
    const count = counter && counter.windowStart === windowStart ? counter.count : 0;
    return { allowed: count < limit, limit, remaining: Math.max(0, limit - count), resetAtMs: windowStart + windowMs, windowMs };
  }
}

/**
 * HipChat sent whole Unix seconds. Tests and the benchmark shrink windows to a second or two, where
 * whole seconds would be useless, so for windows under 60 s the emulator sends millisecond precision
 * as a decimal (e.g. `1764052800.250`). Consumers must parse these headers as floats.
 */
export function formatResetHeader(decision: LimitDecision): string {
  if (decision.windowMs < 60_000) return (decision.resetAtMs / 1000).toFixed(3);
  return String(Math.ceil(decision.resetAtMs / 1000));
}

/** Seconds until the window resets, for Retry-After; decimal (e.g. `0.750`) for windows under 60 s, as above. */
export function formatRetryAfter(decision: LimitDecision, nowMs: number): string {
  const waitMs = Math.max(0, decision.resetAtMs - nowMs);
  if (decision.windowMs < 60_000) return (Math.max(waitMs, 1) / 1000).toFixed(3);
  return String(Math.max(1, Math.ceil(waitMs / 1000)));
}
