import type { Logger } from '../../shared/logger';
import { PeriodicTask } from '../../shared/periodic-task';

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
  private readonly periodic: PeriodicTask;

  constructor(private readonly options: UsedJtiPurgeOptions) {
    this.periodic = new PeriodicTask(options.intervalMs ?? 60_000, () =>
      this.runOnce().then(
        () => undefined,
        (error: unknown) => this.options.logger.warn({ err: error }, 'purging used jtis failed; will retry'),
      ),
    );
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
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
}
