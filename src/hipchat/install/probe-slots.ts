import type { Queryable } from '../../store/db';

/** A probe in flight holds its slot at most this long (far beyond one token request's deadline). */
const PROBE_LEASE_SECONDS = 60;
/** How soon a re-check that found a probe in flight tries again. */
const IN_FLIGHT_RETRY_SECONDS = 2;

/**
 * The right to ask HipChat about one installation's OAuth client, kept in the database (install_probes)
 * so that every instance sharing it obeys the same bound: one probe at a time per installation, and
 * none sooner than `intervalSeconds` after the previous one started.
 */
export class ProbeSlots {
  constructor(
    private readonly db: Queryable,
    private readonly intervalSeconds: number,
  ) {}

  /** Takes the slot if it is free; false if a probe is in flight or ran too recently (or no such installation). */
  async claim(oauthId: string): Promise<boolean> {
    // One statement: ON CONFLICT locks the row and re-checks the condition, so two claimers never both win.
    const { rows } = await this.db.query(
      `INSERT INTO install_probes AS p (oauth_id, last_probe_at, probing_until)
       SELECT oauth_id, now(), now() + $3::float8 * interval '1 second' FROM installations WHERE oauth_id = $1
       ON CONFLICT (oauth_id) DO UPDATE SET last_probe_at = EXCLUDED.last_probe_at, probing_until = EXCLUDED.probing_until
       WHERE (p.probing_until IS NULL OR p.probing_until <= now())
         AND p.last_probe_at <= now() - $2::float8 * interval '1 second'
       RETURNING p.oauth_id`,
      [oauthId, this.intervalSeconds, PROBE_LEASE_SECONDS],
    );
    return rows.length > 0;
  }

  /** Ends the probe in flight; the interval still runs from its start. */
  async release(oauthId: string): Promise<void> {
    await this.db.query('UPDATE install_probes SET probing_until = NULL WHERE oauth_id = $1', [oauthId]);
  }

  /**
   * When to try for the slot again: once the interval since the last probe began has passed, and, while
   * a probe is in flight, a few seconds on (it ends long before its lease, which only covers a crash).
   */
  async freeAt(oauthId: string): Promise<Date> {
    const { rows } = await this.db.query<{ free_at: Date }>(
      `SELECT greatest(now(), last_probe_at + $2::float8 * interval '1 second',
                       CASE WHEN probing_until > now() THEN least(probing_until, now() + $3::float8 * interval '1 second') END)
         AS free_at
       FROM install_probes WHERE oauth_id = $1`,
      [oauthId, this.intervalSeconds, IN_FLIGHT_RETRY_SECONDS],
    );
    return rows[0] ? new Date(rows[0].free_at) : new Date();
  }
}
