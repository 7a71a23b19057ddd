import type { Queryable } from '../../store/db';
import { DEFAULT_SETTINGS, type SettingsUpdate, type TaskSettings } from './task-settings';

interface SettingsRow {
  announce_new_tasks: boolean;
  notification_color: TaskSettings['color'];
  remind_on_enter: boolean;
}

const COLUMNS = 'announce_new_tasks, notification_color, remind_on_enter';

function fromRow(row: SettingsRow): TaskSettings {
  return { announceNewTasks: row.announce_new_tasks, color: row.notification_color, remindOnEnter: row.remind_on_enter };
}

/** task_settings: one row per installation, absent until first saved (defaults apply). */
export class SettingsRepository {
  constructor(private readonly db: Queryable) {}

  async get(oauthId: string, tx: Queryable = this.db): Promise<TaskSettings> {
    const { rows } = await tx.query<SettingsRow>(`SELECT ${COLUMNS} FROM task_settings WHERE oauth_id = $1`, [oauthId]);
    const row = rows[0];
    return row ? fromRow(row) : { ...DEFAULT_SETTINGS };
  }

  async update(oauthId: string, update: SettingsUpdate, tx: Queryable = this.db): Promise<TaskSettings> {
    const { rows } = await tx.query<SettingsRow>(
      `INSERT INTO task_settings (oauth_id, announce_new_tasks, notification_color, remind_on_enter)
       VALUES ($1, COALESCE($2::boolean, $5::boolean), COALESCE($3::text, $6::text), COALESCE($4::boolean, $7::boolean))
       ON CONFLICT (oauth_id) DO UPDATE SET
         announce_new_tasks = COALESCE($2::boolean, task_settings.announce_new_tasks),
         notification_color = COALESCE($3::text, task_settings.notification_color),
         remind_on_enter = COALESCE($4::boolean, task_settings.remind_on_enter),
         updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        oauthId,
        update.announceNewTasks ?? null,
        update.color ?? null,
        update.remindOnEnter ?? null,
        DEFAULT_SETTINGS.announceNewTasks,
        DEFAULT_SETTINGS.color,
        DEFAULT_SETTINGS.remindOnEnter,
      ],
    );
    return fromRow(rows[0] as SettingsRow);
  }
}
