import type { Emulator, Installation, User } from '../emulator';
import type { PageLike } from './open-page';

/** How long an action waits for what the add-on queued for HipChat. */
export interface SettleOptions {
  /** false: return as soon as the webhooks were answered, without waiting for the add-on's outbox. */
  waitForOutbox?: boolean;
  /** How long to wait for the outbox to empty before failing; default the kit's (5000 ms). */
  outboxTimeoutMs?: number;
}

/** What a kit's rooms share with the kit. */
export interface KitContext {
  emulator: Emulator;
  settle(options?: SettleOptions): Promise<void>;
  /** The installation whose webhooks reach this room (room installation first, else global). */
  installationFor(roomId: number): Installation;
  /** The user who acts when a test names none: an ordinary member, created on first use. */
  defaultUser(): User;
  trackPage(page: PageLike): void;
}
