import type { Logger } from '../../shared/logger';
import { PeriodicTask } from '../../shared/periodic-task';
import { UninstallService, type RecheckOutcome, type UninstallDeps } from './uninstall-service';

export interface UninstallRecheckOptions {
  /** The re-check delays (config.uninstallRecheckSeconds); the polling interval is derived from them. */
  recheckSeconds: readonly number[];
  logger: Logger;
  onOutcome?: (outcome: RecheckOutcome) => void;
}

/**
 * Background task: polls for due uninstall checks and runs them (UninstallService.runDueChecks). Polls
 * at half the shortest delay, between 50 ms and 5 s, so a check runs close to when it is due.
 */
export class UninstallRecheckTask {
  readonly name = 'uninstall-recheck';
  private readonly periodic: PeriodicTask;

  constructor(
    private readonly service: Pick<UninstallService, 'runDueChecks'>,
    private readonly options: UninstallRecheckOptions,
  ) {
    const shortest = Math.min(...options.recheckSeconds, 10);
    const intervalMs = Math.min(5000, Math.max(50, Math.round(shortest * 500)));
    this.periodic = new PeriodicTask(intervalMs, () => this.runOnce());
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  private async runOnce(): Promise<void> {
    try {
      const results = await this.service.runDueChecks();
      for (const { outcome } of results) this.options.onOutcome?.(outcome);
    } catch (error) {
      this.options.logger.error({ err: error }, 'uninstall re-check failed; will retry');
    }
  }
}

/** The task with its own UninstallService, counting each conclusion in `metrics.uninstalls`. */
export function createUninstallRecheckTask(
  deps: UninstallDeps & { metrics: { uninstalls: { inc(labels: { outcome: string }): void } } },
): UninstallRecheckTask {
  return new UninstallRecheckTask(new UninstallService(deps), {
    recheckSeconds: deps.recheckSeconds,
    logger: deps.logger,
    onOutcome: (outcome) => {
      if (outcome !== 'rescheduled' && outcome !== 'vanished' && outcome !== 'deferred') deps.metrics.uninstalls.inc({ outcome });
    },
  });
}
