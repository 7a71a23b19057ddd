/**
 * How many rooms this worker is delivering to each HipChat host, capped per host: a room makes one
 * call at a time, so this bounds the calls in flight to one host, and a slow (or hostile) HipChat can
 * hold at most `perHost` of the worker's slots while every other host keeps the rest. Hosts with
 * nothing in flight are forgotten, so memory follows the hosts being called, not every host ever seen.
 */
export class HostSlots {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly perHost: number) {}

  /** Takes a slot for `host` unless it already has `perHost`. */
  tryAcquire(host: string): boolean {
    const used = this.inFlight.get(host) ?? 0;
    if (used >= this.perHost) return false;
    this.inFlight.set(host, used + 1);
    return true;
  }

  release(host: string): void {
    const used = (this.inFlight.get(host) ?? 0) - 1;
    if (used > 0) this.inFlight.set(host, used);
    else this.inFlight.delete(host);
  }

  /** Hosts that cannot take another call now (so claims can leave their rooms alone). */
  full(): string[] {
    return [...this.inFlight].filter(([, used]) => used >= this.perHost).map(([host]) => host);
  }

  /** Hosts with calls in flight (for tests and metrics). */
  get size(): number {
    return this.inFlight.size;
  }
}
