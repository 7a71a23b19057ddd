import type { Db } from '../../store/db';
import type { Transactional } from '../../store/transactional';
import { replayedRequest, replayKeyFor, type SignedRequest } from './replay-key';
import { UsedJtiStore } from './used-jti-store';

export interface ReplayGuardOptions {
  /** config.jwtClockSkewSeconds: a token verifies until exp plus this, so its jti is kept as long. */
  clockSkewSeconds: number;
  store?: UsedJtiStore;
}

/**
 * Makes a state-changing signed request take effect once per (oauthId, jti), across every instance:
 * the jti is recorded in the very transaction of the effect, so a failed effect does not use it up and
 * a committed effect is never without its record. Read-only requests never come here.
 */
export class ReplayGuard {
  private readonly store: UsedJtiStore;

  constructor(
    private readonly db: Db,
    private readonly options: ReplayGuardOptions,
  ) {
    this.store = options.store ?? new UsedJtiStore();
  }

  /**
   * Where one request's change runs: a single transaction that first records the jti. A replay is
   * refused (409 replayed_request) before anything is changed. A token without a jti is refused at once.
   */
  once(request: SignedRequest): Transactional {
    const key = replayKeyFor(request, this.options.clockSkewSeconds);
    let started = false;
    return {
      transaction: (fn) => {
        // One request, one effect: a second transaction would find its own jti and fail confusingly.
        if (started) throw new Error('A signed request guards one transaction only');
        started = true;
        return this.db.transaction(async (tx) => {
          if (!(await this.store.recordOnce(tx, key)).first) throw replayedRequest();
          return fn(tx);
        });
      },
    };
  }

  /** Refuses a replay before slow outside work (a call to HipChat) that must not even start twice; `once` still records. */
  async refuseReplay(request: SignedRequest): Promise<void> {
    if (await this.store.isUsed(this.db, replayKeyFor(request, this.options.clockSkewSeconds))) throw replayedRequest();
  }

  /**
   * For a webhook, whose answer HipChat posts into the room: runs `effect` once, storing its reply with
   * the jti in the same transaction. A replay (HipChat may retry) gets that reply again, and no effect.
   */
  async replyOnce<R>(request: SignedRequest, effect: (within: Transactional) => Promise<R>): Promise<R> {
    const key = replayKeyFor(request, this.options.clockSkewSeconds);
    const afterCommit: Array<() => void> = [];
    const outcome = await this.db.transaction(async (tx) => {
      const recorded = await this.store.recordOnce(tx, key);
      if (!recorded.first) return { replayed: true, reply: recorded.reply };
      const within: Transactional = { transaction: (fn) => fn(tx), afterCommit: (fn) => afterCommit.push(fn) };
      const reply = await effect(within);
      // No reply (an event's webhook): the row as inserted already reads as one without, so no UPDATE.
      if (reply !== null && reply !== undefined) await this.store.saveReply(tx, key, reply);
      return { replayed: false, reply };
    });
    // A jti first used by a request that stored no reply (an API call) is a replay of something else.
    if (outcome.replayed && outcome.reply === null) throw replayedRequest();
    if (!outcome.replayed) for (const fn of afterCommit) fn();
    return outcome.reply as R;
  }

  /** Background upkeep: forget jtis whose tokens can no longer verify. */
  purgeExpired(now: Date, limit: number): Promise<number> {
    return this.store.purgeExpired(this.db, now, limit);
  }
}
