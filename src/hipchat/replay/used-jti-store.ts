import type { Queryable } from '../../store/db';
import type { ReplayKey } from './replay-key';

export type RecordOutcome = { first: true } | { first: false; reply: unknown };

/** used_jtis: the jti of every state-changing request until its token expires, with a webhook's reply. */
export class UsedJtiStore {
  /**
   * Records `key` in the caller's transaction; if it was there already, answers the reply stored with it
   * (null if none). Two transactions recording the same key serialise on the primary key: the second
   * waits for the first, and sees its row only if it committed.
   */
  async recordOnce(tx: Queryable, key: ReplayKey): Promise<RecordOutcome> {
    const inserted = await tx.query(
      `INSERT INTO used_jtis (oauth_id, jti, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (oauth_id, jti) DO NOTHING RETURNING 1`,
      [key.oauthId, key.jti, key.keepUntil],
    );
    if (inserted.rowCount > 0) return { first: true };
    const { rows } = await tx.query<{ reply: unknown }>('SELECT reply FROM used_jtis WHERE oauth_id = $1 AND jti = $2', [
      key.oauthId,
      key.jti,
    ]);
    const stored = rows[0]?.reply ?? null;
    return { first: false, reply: typeof stored === 'string' ? (JSON.parse(stored) as unknown) : stored };
  }

  async saveReply(tx: Queryable, key: ReplayKey, reply: unknown): Promise<void> {
    await tx.query('UPDATE used_jtis SET reply = $3 WHERE oauth_id = $1 AND jti = $2', [
      key.oauthId,
      key.jti,
      JSON.stringify(reply),
    ]);
  }

  async isUsed(db: Queryable, key: ReplayKey): Promise<boolean> {
    const { rowCount } = await db.query('SELECT 1 FROM used_jtis WHERE oauth_id = $1 AND jti = $2', [key.oauthId, key.jti]);
    return rowCount > 0;
  }

  /** Deletes at most `limit` rows kept until before `now`; returns how many went. */
  async purgeExpired(db: Queryable, now: Date, limit: number): Promise<number> {
    const { rowCount } = await db.query(
      `DELETE FROM used_jtis WHERE (oauth_id, jti) IN (
         SELECT oauth_id, jti FROM used_jtis WHERE expires_at < $1 ORDER BY expires_at LIMIT $2)`,
      [now, limit],
    );
    return rowCount;
  }
}
