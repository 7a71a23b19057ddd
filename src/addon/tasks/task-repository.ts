import type { Queryable } from '../../store/db';
import { listOwner, type Task, type TaskScope } from './task';

interface TaskRow {
  number: number;
  text: string;
  done: boolean;
  assignee: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'number, text, done, assignee, created_by, created_at, updated_at';

/** SQL for tasks and their per-room counters. Every method takes the transaction it runs in. */
export class TaskRepository {
  /**
   * Takes the room's next number and locks the room's counter row until the transaction ends, so
   * concurrent adds get distinct numbers and numbers are never reused, even after a delete.
   */
  async allocateNumber(tx: Queryable, scope: TaskScope): Promise<number> {
    const { rows } = await tx.query<{ last_number: number }>(
      `INSERT INTO task_counters (list_owner, room_id, last_number, installation_id, connection_id) VALUES ($1, $2, 1, $3, $4)
       ON CONFLICT (list_owner, room_id) DO UPDATE SET last_number = task_counters.last_number + 1
       RETURNING last_number`,
      [
        listOwner(scope),
        scope.roomId,
        scope.kind === 'installation' ? scope.oauthId : null,
        scope.kind === 'room_token' ? scope.connectionId : null,
      ],
    );
    return Number(rows[0]?.last_number);
  }

  /**
   * Locks the room's counter row: every change in a room holds it, so changes in one room are
   * serialised and the open count each one pushes to the glance is the count after it, in order.
   * False when the room has never had a task.
   */
  async lockRoom(tx: Queryable, scope: TaskScope): Promise<boolean> {
    const { rowCount } = await tx.query(
      'SELECT 1 FROM task_counters WHERE list_owner = $1 AND room_id = $2 FOR UPDATE',
      [listOwner(scope), scope.roomId],
    );
    return rowCount > 0;
  }

  async insert(
    tx: Queryable,
    scope: TaskScope,
    task: { number: number; text: string; createdBy: string | null },
  ): Promise<Task> {
    const { rows } = await tx.query<TaskRow>(
      `INSERT INTO tasks (list_owner, room_id, number, text, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [listOwner(scope), scope.roomId, task.number, task.text, task.createdBy],
    );
    return fromRow(rows[0] as TaskRow);
  }

  async get(tx: Queryable, scope: TaskScope, number: number): Promise<Task | undefined> {
    const { rows } = await tx.query<TaskRow>(
      `SELECT ${COLUMNS} FROM tasks WHERE list_owner = $1 AND room_id = $2 AND number = $3`,
      [listOwner(scope), scope.roomId, number],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async list(tx: Queryable, scope: TaskScope, options: { all: boolean }): Promise<Task[]> {
    const { rows } = await tx.query<TaskRow>(
      `SELECT ${COLUMNS} FROM tasks WHERE list_owner = $1 AND room_id = $2 ${options.all ? '' : 'AND NOT done'}
       ORDER BY done, number`,
      [listOwner(scope), scope.roomId],
    );
    return rows.map(fromRow);
  }

  async update(
    tx: Queryable,
    scope: TaskScope,
    number: number,
    change: { done?: boolean; assignee?: string | null },
  ): Promise<Task | undefined> {
    const { rows } = await tx.query<TaskRow>(
      `UPDATE tasks SET
         done = CASE WHEN $4::boolean IS NULL THEN done ELSE $4::boolean END,
         assignee = CASE WHEN $5::boolean THEN $6::text ELSE assignee END,
         updated_at = now()
       WHERE list_owner = $1 AND room_id = $2 AND number = $3
       RETURNING ${COLUMNS}`,
      [listOwner(scope), scope.roomId, number, change.done ?? null, change.assignee !== undefined, change.assignee ?? null],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async delete(tx: Queryable, scope: TaskScope, number: number): Promise<Task | undefined> {
    const { rows } = await tx.query<TaskRow>(
      `DELETE FROM tasks WHERE list_owner = $1 AND room_id = $2 AND number = $3 RETURNING ${COLUMNS}`,
      [listOwner(scope), scope.roomId, number],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** Removes the room's list: its counter row, and through it (ON DELETE CASCADE) its tasks. */
  async deleteRoom(tx: Queryable, scope: TaskScope): Promise<void> {
    await tx.query('DELETE FROM task_counters WHERE list_owner = $1 AND room_id = $2', [listOwner(scope), scope.roomId]);
  }

  async countOpen(tx: Queryable, scope: TaskScope): Promise<number> {
    const { rows } = await tx.query<{ n: number | string }>(
      'SELECT count(*)::int AS n FROM tasks WHERE list_owner = $1 AND room_id = $2 AND NOT done',
      [listOwner(scope), scope.roomId],
    );
    return Number(rows[0]?.n ?? 0);
  }
}

function fromRow(row: TaskRow): Task {
  return {
    number: Number(row.number),
    text: row.text,
    done: row.done,
    assignee: row.assignee,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
