import type { ApiUrlSlashes, EmulatorContext } from './emulator-context';
import { EmulatorState } from './model/emulator-state';
import { TokenStore } from './model/token-store';
import { FixedWindowLimiter } from './model/fixed-window-limiter';
import { DEFAULT_LIMITS, type Limits } from './model/types';

export interface EmulatorContextOptions {
  groupName?: string;
  /** Access token lifetime (expires_in); default 3600 s, HipChat Cloud's older documented value. */
  tokenLifetimeSeconds?: number;
  limits?: Partial<Limits>;
  /** Timeout of calls to add-ons (install, webhooks, glances); default 10 s, HipChat's was undocumented. */
  addonTimeoutMs?: number;
  /** Trailing slashes of `links.api` and `capabilities.hipchatApiProvider.url`; default HipChat Cloud's (false, true). */
  apiUrlSlashes?: Partial<ApiUrlSlashes>;
}

/** The state, token store, limiters, settings and counters one emulator shares between its drivers and its HTTP layer. */
export function createEmulatorContext(options: EmulatorContextOptions, baseUrl: () => string): EmulatorContext {
  const state = new EmulatorState({ id: 1, name: options.groupName ?? 'Emulated Group' });
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  return {
    state,
    // Revoking a client or deleting an integration invalidates its tokens at once.
    tokens: new TokenStore((token) =>
      token.oauthId !== undefined ? state.installations.has(token.oauthId) : token.integrationId !== undefined && state.integrations.has(token.integrationId),
    ),
    rateLimiter: new FixedWindowLimiter(limits.rateLimit),
    floodLimiter: new FixedWindowLimiter(limits.floodControl),
    settings: {
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
      failureMode: null,
      webhookTimeoutMs: options.addonTimeoutMs ?? 10_000,
      apiUrlSlashes: { linksApi: false, hipchatApiProvider: true, ...options.apiUrlSlashes },
    },
    stats: { tokenRequests: {}, apiRequests: 0, rateLimited: 0, userLookups: 0, roomLookups: 0 },
    installables: new Map(),
    baseUrl,
    now: () => Date.now(),
  };
}
