import type { Logger } from '../../shared/logger';

export interface UsedJtiPurgeOptions {
  purge: (now: Date, limit: number) => Promise<number>;
  logger: Logger;
  /** Rows are kept this much longer than their token verifies, for instances whose clocks run behind. */
  marginSeconds: number;
  intervalMs?: number;
  /** Rows per DELETE (1000); a run stops after BATCHES_PER_RUN of them, the rest waits for the next run. */
  batchSize?: number;
  now?: () => number;
}

const BATCHES_PER_RUN = 10;

/** Background task: deletes used jtis whose tokens have expired, in small batches, once a minute. */
export class UsedJtiPurgeTask {
  readonly name = 'used-jti-purge';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly options: UsedJtiPurgeOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One run: returns how many rows went. */
  async runOnce(): Promise<number> {
    const now = this.options.now ?? Date.now;
    const before = new Date(now() - this.options.marginSeconds * 1000);
    const size = this.options.batchSize ?? 1000;
    let purged = 0;
    for (let batch = 0; batch < BATCHES_PER_RUN; batch++) {
      const count = await this.options.purge(before, size);
      purged += count;
      if (count < size) break;
    }
    return purged;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'purging used jtis failed; will retry'))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.options.intervalMs ?? 60_000);
    this.timer.unref();
  }
}
