import { HttpError } from '../../shared/errors';
import type { Db, Queryable } from '../../store/db';
import { NotifiedCache } from '../../store/notified-cache';
import type { TaskScope } from './task';

/**
 * The lists of archived rooms (room_archived … room_unarchived): frozen, they take no changes. Only an
 * installation's lists freeze (HipChat tells installations of archiving); a token-connected room's never do.
 */
export class FrozenRooms {
  /** The glance asks on every view: whether a room is frozen, invalidated across instances on change. */
  private readonly cached: NotifiedCache<{ frozen: boolean }>;

  constructor(private readonly db: Db) {
    this.cached = new NotifiedCache(db, { channel: 'tasks_frozen_changed' });
  }

  readonly task = {
    name: 'tasks-frozen-rooms',
    start: () => this.cached.start(),
    stop: () => this.cached.stop(),
  };

  async isFrozen(scope: TaskScope): Promise<boolean> {
    if (scope.kind !== 'installation') return false;
    return (await this.cached.get(key(scope), async () => ({ frozen: await this.frozenIn(this.db, scope) }))).frozen;
  }

  /** In a change's transaction: a frozen list refuses it with 409 room_archived. */
  async refuseChange(tx: Queryable, scope: TaskScope): Promise<void> {
    if (scope.kind === 'installation' && (await this.frozenIn(tx, scope))) {
      throw new HttpError(409, 'room_archived', 'This room is archived: its task list is frozen until the room is unarchived.');
    }
  }

  /** Freezes (true) or thaws (false) a room's list in `tx`; false when it already was so. */
  async set(tx: Queryable, scope: Extract<TaskScope, { kind: 'installation' }>, frozen: boolean): Promise<boolean> {
    const { rowCount } = frozen
      ? await tx.query('INSERT INTO task_frozen_rooms (oauth_id, room_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [scope.oauthId, scope.roomId])
      : await tx.query('DELETE FROM task_frozen_rooms WHERE oauth_id = $1 AND room_id = $2', [scope.oauthId, scope.roomId]);
    await this.cached.invalidate(key(scope), tx);
    return rowCount > 0;
  }

  /** Drops this process's copy at once (call after the change commits). */
  forget(scope: Extract<TaskScope, { kind: 'installation' }>): void {
    this.cached.forget(key(scope));
  }

  private async frozenIn(tx: Queryable, scope: Extract<TaskScope, { kind: 'installation' }>): Promise<boolean> {
    const { rowCount } = await tx.query('SELECT 1 FROM task_frozen_rooms WHERE oauth_id = $1 AND room_id = $2', [scope.oauthId, scope.roomId]);
    return rowCount > 0;
  }
}

function key(scope: Extract<TaskScope, { kind: 'installation' }>): string {
  return `${scope.oauthId}:${scope.roomId}`;
}
