import type { Emulator, HistoryItem, Limits, Stats, StoredGlance } from '../emulator';

/** A fault the emulator injects into what HipChat answers (the emulator's fault injection API). */
export interface FaultRule {
  target: 'capabilities' | 'token' | 'api' | 'all';
  match?: { method?: string; path?: string };
  /** How many matching requests it hits; every one when unset. */
  times?: number;
  fault:
    | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
    | { kind: 'drop' }
    | { kind: 'delay'; ms: number }
    | { kind: 'trickle'; intervalMs?: number };
}

export interface HipChatFaults {
  /** Returns a function that removes the fault again. */
  add(rule: FaultRule): () => void;
  clear(): void;
}

/** One REST API call HipChat received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  roomId?: number;
  userId?: number;
  oauthId?: string;
  body: unknown;
  status: number;
  at: string | number;
}

/** The emulator's request log and fault injection, where this version of it has them. */
interface EmulatorExtras {
  faults?: HipChatFaults;
  requests?: () => ReceivedRequest[];
}

/** HipChat's side of a test: what it received and how it misbehaves. */
export interface HipChatSide {
  /** A room's history as HipChat keeps it (messages and notifications). */
  history(room: { id: number }): HistoryItem[];
  /** Notifications in one room, or in every room. */
  notifications(room?: { id: number }): HistoryItem[];
  /** The glance HipChat shows in a room for an installation: last pushed or queried content. */
  glance(oauthId: string, room: { id: number }, key: string): StoredGlance | undefined;
  /** The REST API calls HipChat received, in order. */
  requests(): ReceivedRequest[];
  /** Token requests (POST /v2/oauth/token) HipChat answered, per OAuth client id. */
  tokenRequests(): Record<string, number>;
  stats(): Stats;
  /** Inject failures: HipChat down, 429s, slow or trickling answers. */
  readonly faults: HipChatFaults;
  /** HipChat's rate limit and per-room flood control. */
  setLimits(limits: Partial<Limits>): void;
}

export function hipChatSide(emulator: Emulator): HipChatSide {
  const extras = emulator as unknown as EmulatorExtras;
  const need = <K extends keyof EmulatorExtras>(name: K): NonNullable<EmulatorExtras[K]> => {
    const value = extras[name];
    if (value === undefined) throw new Error(`test kit: this emulator has no ${name} (it came with fault injection)`);
    return value as NonNullable<EmulatorExtras[K]>;
  };
  return {
    history: (room) => emulator.history(room.id),
    notifications: (room) =>
      (room ? [room] : emulator.rooms()).flatMap((each) => emulator.history(each.id)).filter((item) => item.type === 'notification'),
    glance: (oauthId, room, key) => emulator.getGlance(oauthId, room.id, key),
    requests: () => need('requests').call(emulator),
    tokenRequests: () => emulator.stats().tokenRequests,
    stats: () => emulator.stats(),
    get faults() {
      return need('faults');
    },
    setLimits: (limits) => emulator.setLimits(limits),
  };
}
