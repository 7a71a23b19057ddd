import type { Queryable } from '../../index';

export interface Update {
  name: string | null;
  text: string;
}

/** Where a stand-up happens: one room of one installation, on one (UTC) day. */
export interface StandupDay {
  oauthId: string;
  roomId: number;
  day: string;
}

export const today = (): string => new Date().toISOString().slice(0, 10);

/** The stand-up's two tables (migrations/001_standup.sql), queried through the handler's `ctx.db`. */
export class StandupStore {
  constructor(private readonly db: Queryable) {}

  /** Records (or replaces) a person's update of the day; answers how many people have posted. */
  async post(at: StandupDay, userId: string, name: string | null, text: string): Promise<number> {
    await this.db.query(
      `INSERT INTO standup_updates (oauth_id, room_id, day, user_id, name, text) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (oauth_id, room_id, day, user_id) DO UPDATE SET name = EXCLUDED.name, text = EXCLUDED.text`,
      [at.oauthId, at.roomId, at.day, userId, name, text],
    );
    return this.count(at);
  }

  async list(at: StandupDay): Promise<Update[]> {
    const { rows } = await this.db.query<Update>(
      'SELECT name, text FROM standup_updates WHERE oauth_id = $1 AND room_id = $2 AND day = $3 ORDER BY name',
      [at.oauthId, at.roomId, at.day],
    );
    return rows;
  }

  async count(at: StandupDay): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM standup_updates WHERE oauth_id = $1 AND room_id = $2 AND day = $3',
      [at.oauthId, at.roomId, at.day],
    );
    return rows[0]?.n ?? 0;
  }

  /** True the first time a person is to be reminded in a room on a day, false after. */
  async firstReminder(at: StandupDay, userId: string): Promise<boolean> {
    const posted = await this.db.query('SELECT 1 FROM standup_updates WHERE oauth_id = $1 AND room_id = $2 AND day = $3 AND user_id = $4', [at.oauthId, at.roomId, at.day, userId]);
    if (posted.rowCount > 0) return false;
    const inserted = await this.db.query(
      'INSERT INTO standup_reminders (oauth_id, room_id, day, user_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [at.oauthId, at.roomId, at.day, userId],
    );
    return inserted.rowCount > 0;
  }
}
