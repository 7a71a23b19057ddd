import type { Emulator, FaultRuleInput, HistoryItem, Limits, RecordedRequest, Stats, StoredGlance } from '../emulator';

/** A fault the emulator injects into what HipChat answers (see the emulator's README, "Fault injection"). */
export type FaultRule = FaultRuleInput;

export interface HipChatFaults {
  /** Returns a function that removes the fault again. */
  add(rule: FaultRule): () => void;
  clear(): void;
}

/** One REST API (or token, capabilities) request HipChat received; `status` 0 until answered. */
export type ReceivedRequest = Readonly<RecordedRequest>;

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
  return {
    history: (room) => emulator.history(room.id),
    notifications: (room) =>
      (room ? [room] : emulator.rooms()).flatMap((each) => emulator.history(each.id)).filter((item) => item.type === 'notification'),
    glance: (oauthId, room, key) => emulator.getGlance(oauthId, room.id, key),
    requests: () => emulator.requests(),
    tokenRequests: () => emulator.stats().tokenRequests,
    stats: () => emulator.stats(),
    get faults() {
      return emulator.faults;
    },
    setLimits: (limits) => emulator.setLimits(limits),
  };
}
