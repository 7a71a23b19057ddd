import type { EmulatorState } from './model/emulator-state';
import type { TokenStore } from './model/token-store';
import type { FixedWindowLimiter } from './model/fixed-window-limiter';
import type { Stats } from './model/types';

/** How the capabilities document writes its two API base URLs (HipChat Cloud: `links.api` without a slash, `hipchatApiProvider.url` with one). */
export interface ApiUrlSlashes {
  linksApi: boolean;
  hipchatApiProvider: boolean;
}

/** Everything the HTTP layer and the drivers share. Built once per emulator by createEmulatorContext. */
export interface EmulatorContext {
  state: EmulatorState;
  tokens: TokenStore;
  rateLimiter: FixedWindowLimiter;
  floodLimiter: FixedWindowLimiter;
  settings: { tokenLifetimeSeconds: number; failureMode: '503' | null; webhookTimeoutMs: number; apiUrlSlashes: ApiUrlSlashes };
  stats: Stats;
  /** One-time `installable_url` documents for the browser install flow, by opaque id. */
  installables: Map<string, Record<string, unknown>>;
  /** Where HipChat lives, path prefix included and no trailing slash, e.g. http://127.0.0.1:4000/hipchat. */
  baseUrl(): string;
  now(): number;
}
