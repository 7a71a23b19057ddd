import type { AxiosInstance } from 'axios';
import type { Logger } from '../../shared/logger';
import type { Db } from '../../store/db';
import type { Installation } from '../installations/installation';
import type { InstallationStore } from '../installations/installation-store';
import { probeOAuthClient, type OAuthClientState } from './probe-oauth-client';
import { ProbeSlots } from './probe-slots';

export interface UninstallDeps {
  db: Db;
  installations: InstallationStore;
  http: AxiosInstance;
  logger: Logger;
  /** Seconds after the request at which to check again (config.uninstallRecheckSeconds). */
  recheckSeconds: readonly number[];
  /** Least time between two probes of one installation (config.uninstallProbeIntervalSeconds). */
  probeIntervalSeconds: number;
}

/**
 * What became of an uninstall request: the route maps it to 204/202, metrics count it. `deferred`: HipChat
 * was asked about this installation moments ago (or is being asked now), so the request joins the
 * pending check instead of asking again.
 */
export type UninstallOutcome = 'removed' | 'unknown' | 'pending' | 'unconfirmed' | 'deferred';

/** What one re-check concluded; `deferred`: it waits for the installation's probe slot. */
export type RecheckOutcome = 'removed' | 'rescheduled' | 'forged' | 'unconfirmed' | 'vanished' | 'deferred';

/** A claimed check is hidden from other instances this long, far beyond one token request's timeout. */
const CLAIM_LEASE_SECONDS = 60;
const CLAIM_BATCH = 20;

/**
 * Uninstalls, with HipChat's confirmation. The DELETE is unauthenticated and the oauthId is public
 * (the `iss` of every JWT), so a request alone proves nothing: the installation is removed only once
 * HipChat's token endpoint refuses the client itself (see probeOAuthClient). Until then a row in
 * uninstall_checks schedules re-checks; if the client is still live after the last one, the request is
 * taken to be forged. Every probe first claims the installation's slot (ProbeSlots), so no number of
 * DELETEs, on any number of instances, makes the add-on ask HipChat more than once per interval.
 */
export class UninstallService {
  private readonly slots: ProbeSlots;

  constructor(private readonly deps: UninstallDeps) {
    this.slots = new ProbeSlots(deps.db, deps.probeIntervalSeconds);
  }

  async requestUninstall(oauthId: string): Promise<UninstallOutcome> {
    const installation = await this.deps.installations.get(oauthId);
    if (!installation) return 'unknown';
    if (!(await this.slots.claim(oauthId))) {
      // The pending check (created if there is none) concludes for this request too: nothing is lost.
      await this.scheduleCheck(oauthId, this.deps.recheckSeconds[0] ?? 0);
      this.deps.logger.debug({ oauthId }, 'uninstall request joins the pending check: HipChat was asked moments ago');
      return 'deferred';
    }
    const state = await this.probe(installation);
    // Not removed although gone: it was re-installed meanwhile, with credentials this request does not concern.
    if (state === 'gone') return (await this.removeIfUnchanged(installation)) ? 'removed' : 'unknown';
    const firstDelay = this.deps.recheckSeconds[0];
    if (firstDelay === undefined) {
      this.deps.logger.warn({ oauthId, clientState: state }, 'uninstall request not confirmed by HipChat and no re-check is configured');
      return 'unconfirmed';
    }
    await this.scheduleCheck(oauthId, firstDelay);
    this.deps.logger.info({ oauthId, clientState: state }, 'uninstall awaits confirmation from HipChat');
    return 'pending';
  }

  /**
   * Runs the checks that are due. Each is claimed with FOR UPDATE SKIP LOCKED and a lease, so several
   * instances can run this at once without checking the same installation twice.
   */
  async runDueChecks(): Promise<Array<{ oauthId: string; outcome: RecheckOutcome }>> {
    const { rows } = await this.deps.db.query<{ oauth_id: string; attempts: number }>(
      `UPDATE uninstall_checks SET attempts = attempts + 1, next_check_at = now() + $2::float8 * interval '1 second'
       WHERE oauth_id IN (
         SELECT oauth_id FROM uninstall_checks WHERE next_check_at <= now()
         ORDER BY next_check_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING oauth_id, attempts`,
      [CLAIM_BATCH, CLAIM_LEASE_SECONDS],
    );
    const results = [];
    for (const row of rows) {
      results.push({ oauthId: row.oauth_id, outcome: await this.recheck(row.oauth_id, row.attempts) });
    }
    return results;
  }

  private async recheck(oauthId: string, attempt: number): Promise<RecheckOutcome> {
    const installation = await this.deps.installations.get(oauthId);
    if (!installation) return 'vanished';
    if (!(await this.slots.claim(oauthId))) {
      // Not this attempt's turn yet: it runs, uncounted, once the slot is free.
      await this.deps.db.query('UPDATE uninstall_checks SET attempts = attempts - 1, next_check_at = $2 WHERE oauth_id = $1', [
        oauthId,
        await this.slots.freeAt(oauthId),
      ]);
      return 'deferred';
    }
    const state = await this.probe(installation);
    if (state === 'gone') return (await this.removeIfUnchanged(installation)) ? 'removed' : 'vanished';
    const nextDelay = this.deps.recheckSeconds[attempt];
    if (nextDelay !== undefined) {
      await this.deps.db.query(
        `UPDATE uninstall_checks SET next_check_at = greatest(now(), requested_at + $2::float8 * interval '1 second')
         WHERE oauth_id = $1`,
        [oauthId, nextDelay],
      );
      return 'rescheduled';
    }
    await this.deps.db.query('DELETE FROM uninstall_checks WHERE oauth_id = $1', [oauthId]);
    if (state === 'live') {
      this.deps.logger.warn(
        { oauthId, checks: attempt },
        'uninstall request treated as forged: the OAuth client still works after every re-check; the installation stays',
      );
      return 'forged';
    }
    this.deps.logger.warn({ oauthId, checks: attempt }, 'uninstall not confirmed: HipChat could not be reached; the installation stays');
    return 'unconfirmed';
  }

  private async probe(installation: Installation): Promise<OAuthClientState> {
    try {
      return await probeOAuthClient(this.deps.http, installation);
    } finally {
      await this.slots.release(installation.oauthId);
    }
  }

  /** An existing check keeps its schedule, so repeating the DELETE can neither postpone nor hasten it. */
  private async scheduleCheck(oauthId: string, delaySeconds: number): Promise<void> {
    await this.deps.db.query(
      `INSERT INTO uninstall_checks (oauth_id, next_check_at)
       SELECT oauth_id, now() + $2::float8 * interval '1 second' FROM installations WHERE oauth_id = $1
       ON CONFLICT (oauth_id) DO NOTHING`,
      [oauthId, delaySeconds],
    );
  }

  /**
   * Deletes the installation (cascading to all its data) unless it was re-installed with new
   * credentials while HipChat was being asked about the old ones.
   */
  private async removeIfUnchanged(probed: Installation): Promise<boolean> {
    const removed = await this.deps.db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM installations WHERE oauth_id = $1 FOR UPDATE', [probed.oauthId]);
      const current = await this.deps.installations.get(probed.oauthId, tx);
      if (!current || current.oauthSecret !== probed.oauthSecret) return false;
      return this.deps.installations.delete(probed.oauthId, tx);
    });
    if (removed) {
      this.deps.logger.info(
        { oauthId: probed.oauthId, groupId: probed.groupId, roomId: probed.roomId },
        'uninstalled: HipChat confirmed the OAuth client is gone',
      );
    }
    return removed;
  }
}
