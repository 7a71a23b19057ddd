/** One of HipChat's limit header groups (X-Ratelimit-* per token, X-FloodControl-* per room). */
export interface LimitHeaders {
  limit: number;
  remaining: number;
  /** Epoch milliseconds at which the window resets (the header is Unix seconds, possibly fractional). */
  resetAtMs: number;
}

type HeaderBag = Record<string, unknown>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) return value[0] === undefined ? undefined : String(value[0]);
  return value === undefined || value === null ? undefined : String(value);
}

function number(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** Reads `{prefix}-Limit/-Remaining/-Reset`; undefined unless all three are present and numeric. */
export function parseLimitHeaders(headers: HeaderBag, prefix: 'X-Ratelimit' | 'X-FloodControl'): LimitHeaders | undefined {
  const limit = number(header(headers, `${prefix}-Limit`));
  const remaining = number(header(headers, `${prefix}-Remaining`));
  const reset = number(header(headers, `${prefix}-Reset`));
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined;
  return { limit, remaining: Math.max(0, remaining), resetAtMs: reset * 1000 };
}

/** Retry-After as delay-seconds (fractional accepted) or an HTTP date; milliseconds from `nowMs`. */
export function parseRetryAfter(headers: HeaderBag, nowMs: number): number | undefined {
  const raw = header(headers, 'Retry-After');
  if (raw === undefined) return undefined;
  const seconds = number(raw);
  if (seconds !== undefined) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
