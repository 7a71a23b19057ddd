import type { Queryable } from '../../store/db';
import { DEFAULT_SETTINGS, type SettingsUpdate, type TaskSettings } from './task-settings';

interface SettingsRow {
  announce_new_tasks: boolean;
  notification_color: TaskSettings['color'];
}

/** task_settings: one row per installation, absent until first saved (defaults apply). */
export class SettingsRepository {
  constructor(private readonly db: Queryable) {}

  async get(oauthId: string, tx: Queryable = this.db): Promise<TaskSettings> {
    const { rows } = await tx.query<SettingsRow>(
      'SELECT announce_new_tasks, notification_color FROM task_settings WHERE oauth_id = $1',
      [oauthId],
    );
    const row = rows[0];
    return row ? { announceNewTasks: row.announce_new_tasks, color: row.notification_color } : { ...DEFAULT_SETTINGS };
  }

  async update(oauthId: string, update: SettingsUpdate, tx: Queryable = this.db): Promise<TaskSettings> {
    const { rows } = await tx.query<SettingsRow>(
      `INSERT INTO task_settings (oauth_id, announce_new_tasks, notification_color)
       VALUES ($1, COALESCE($2::boolean, $4::boolean), COALESCE($3::text, $5::text))
       ON CONFLICT (oauth_id) DO UPDATE SET
         announce_new_tasks = COALESCE($2::boolean, task_settings.announce_new_tasks),
         notification_color = COALESCE($3::text, task_settings.notification_color),
         updated_at = now()
       RETURNING announce_new_tasks, notification_color`,
      [oauthId, update.announceNewTasks ?? null, update.color ?? null, DEFAULT_SETTINGS.announceNewTasks, DEFAULT_SETTINGS.color],
    );
    const row = rows[0] as SettingsRow;
    return { announceNewTasks: row.announce_new_tasks, color: row.notification_color };
  }
}
