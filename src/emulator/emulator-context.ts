import type { EmulatorState } from './model/emulator-state';
import type { TokenStore } from './model/token-store';
import type { FixedWindowLimiter } from './model/fixed-window-limiter';
import type { Stats } from './model/types';

/** Everything the HTTP layer and the drivers share. Built once by startEmulator. */
export interface EmulatorContext {
  state: EmulatorState;
  tokens: TokenStore;
  rateLimiter: FixedWindowLimiter;
  floodLimiter: FixedWindowLimiter;
  settings: { tokenLifetimeSeconds: number; failureMode: '503' | null; webhookTimeoutMs: number };
  stats: Stats;
  /** One-time `installable_url` documents for the browser install flow, by opaque id. */
  installables: Map<string, Record<string, unknown>>;
  baseUrl(): string;
  now(): number;
}
