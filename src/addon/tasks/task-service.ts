import type { NotificationService } from '../../hipchat/delivery/notification-service';
import { badRequest, notFound } from '../../shared/errors';
import type { Db, Queryable } from '../../store/db';
import { NotifiedCache } from '../../store/notified-cache';
import type { Transactional } from '../../store/transactional';
import { buildGlance, TASKS_GLANCE_KEY } from '../glance/build-glance';
import { escapeHtml } from '../pages/escape-html';
import { SettingsRepository } from '../settings/settings-repository';
import { DEFAULT_SETTINGS, type SettingsUpdate, type TaskSettings } from '../settings/task-settings';
import { FrozenRooms } from './frozen-rooms';
import { checkAssignee, checkTaskText, listOwner, type Task, type TaskScope } from './task';
import { TaskRepository } from './task-repository';

/** The part of the notification service Tasks uses: it only queues, in the caller's transaction. */
export type TaskNotifications = Pick<NotificationService, 'sendRoomNotification' | 'updateRoomGlance'>;

/** Who asked for a change, for the record and the announcement. */
export interface Actor {
  userId: string | null;
  name?: string | null;
}

export interface TaskChange {
  done?: boolean;
  /** A mention name (with or without "@"), or null to unassign. */
  assignee?: string | null;
}

/**
 * The Tasks business operations, shared by the slash command and the JSON API. Each change runs in
 * one transaction that also queues the room's new glance (and the announcement of a new task), so
 * HipChat hears of a change exactly when it commits. Errors are HttpErrors (400 naming the field,
 * 404 task_not_found) that both callers turn into their own answers. A change runs `within` the
 * database by default, or within the replay guard's transaction for a signed request.
 */
export class TaskService {
  private readonly tasks = new TaskRepository();
  private readonly settingsRepository: SettingsRepository;
  /**
   * The glance and every slash command read these; caching them (invalidated across instances in the
   * transaction that changes them) took a query off each request: see docs/benchmarks.md.
   */
  private readonly cachedSettings: NotifiedCache<TaskSettings>;
  /** Each room's open tasks (what `/task list` shows and the glance counts), bounded by their total number. */
  private readonly cachedOpenTasks: NotifiedCache<readonly Task[]>;
  /** Archived rooms' lists: they refuse changes (409 room_archived) and their glance says so. */
  readonly frozen: FrozenRooms;

  constructor(
    private readonly db: Db,
    private readonly notifications: TaskNotifications,
  ) {
    this.settingsRepository = new SettingsRepository(db);
    this.cachedSettings = new NotifiedCache(db, { channel: 'tasks_settings_changed' });
    this.cachedOpenTasks = new NotifiedCache(db, {
      channel: 'tasks_open_changed',
      sizeOf: (tasks) => tasks.length + 1,
      maxSize: OPEN_TASKS_CACHED,
    });
    this.frozen = new FrozenRooms(db);
  }

  /** Keeps the caches' subscriptions for the life of the process: add it to services.background. */
  readonly cacheTask = {
    name: 'tasks-caches',
    start: async () => {
      await Promise.all([this.cachedSettings.start(), this.cachedOpenTasks.start(), this.frozen.task.start()]);
    },
    stop: async () => {
      await Promise.all([this.cachedSettings.stop(), this.cachedOpenTasks.stop(), this.frozen.task.stop()]);
    },
  };

  async add(scope: TaskScope, rawText: string, actor: Actor, within: Transactional = this.db): Promise<Task> {
    const text = checkTaskText(rawText);
    if (!text.ok) throw badRequest(`text: ${text.message}`, 'invalid_request');
    return this.changeRoom(scope, within, async (tx) => {
      const number = await this.tasks.allocateNumber(tx, scope);
      const task = await this.tasks.insert(tx, scope, { number, text: text.value, createdBy: actor.userId });
      const settings = scope.kind === 'installation' ? await this.settingsRepository.get(scope.oauthId, tx) : DEFAULT_SETTINGS;
      if (settings.announceNewTasks) {
        const by = actor.name ? ` (added by ${escapeHtml(actor.name)})` : '';
        await this.notifications.sendRoomNotification(
          scope,
          { message: `<b>New task #${task.number}</b>: ${escapeHtml(task.text)}${by}`, message_format: 'html', color: settings.color, notify: true },
          { tx },
        );
      }
      await this.pushGlance(tx, scope);
      return task;
    });
  }

  /** The room's open tasks, or all of them (open first). The result is shared: do not change it. */
  list(scope: TaskScope, options: { all: boolean } = { all: false }): Promise<readonly Task[]> {
    if (options.all) return this.tasks.list(this.db, scope, options);
    return this.cachedOpenTasks.get(roomKey(scope), async () =>
      Object.freeze((await this.tasks.list(this.db, scope, { all: false })).map((task) => Object.freeze(task))),
    );
  }

  async openCount(scope: TaskScope): Promise<number> {
    return (await this.list(scope)).length;
  }

  /** In an event's transaction: the room's open tasks assigned to `mentionName`, and the settings. */
  async openAssignedIn(tx: Queryable, scope: TaskScope & { kind: 'installation' }, mentionName: string): Promise<Task[]> {
    const open = await this.tasks.list(tx, scope, { all: false });
    const name = mentionName.toLowerCase();
    return open.filter((task) => task.assignee?.toLowerCase() === name);
  }

  settingsIn(tx: Queryable, oauthId: string): Promise<TaskSettings> {
    return this.settingsRepository.get(oauthId, tx);
  }

  /** room_archived / room_unarchived, in the event's transaction: (un)freezes the list and pushes its glance. */
  async setArchived(tx: Queryable, scope: TaskScope & { kind: 'installation' }, archived: boolean): Promise<void> {
    await this.frozen.set(tx, scope, archived);
    this.frozen.forget(scope);
    await this.pushGlance(tx, scope, archived);
  }

  /** room_deleted, in the event's transaction: the room's list, its counter and its room state go. */
  async deleteRoom(tx: Queryable, scope: TaskScope & { kind: 'installation' }): Promise<void> {
    await this.tasks.deleteRoom(tx, scope);
    await this.frozen.set(tx, scope, false);
    await tx.query('DELETE FROM task_reminders WHERE oauth_id = $1 AND room_id = $2', [scope.oauthId, scope.roomId]);
    await this.cachedOpenTasks.invalidate(roomKey(scope), tx);
    this.frozen.forget(scope);
  }

  /** Marks done/undone and/or (un)assigns. `changed` is false when the task already was that way (nothing pushed). */
  async update(
    scope: TaskScope,
    number: number,
    change: TaskChange,
    within: Transactional = this.db,
  ): Promise<{ task: Task; changed: boolean }> {
    let assignee: string | null | undefined = change.assignee;
    if (typeof assignee === 'string') {
      const checked = checkAssignee(assignee);
      if (!checked.ok) throw badRequest(`assignee: ${checked.message}`, 'invalid_request');
      assignee = checked.value;
    }
    return this.changeRoom(scope, within, async (tx) => {
      const current = (await this.tasks.lockRoom(tx, scope)) ? await this.tasks.get(tx, scope, number) : undefined;
      if (!current) throw taskNotFound(number);
      const changed =
        (change.done !== undefined && change.done !== current.done) ||
        (assignee !== undefined && assignee !== current.assignee);
      if (!changed) return { task: current, changed: false };
      const task = (await this.tasks.update(tx, scope, number, { done: change.done, assignee })) as Task;
      await this.pushGlance(tx, scope);
      return { task, changed: true };
    });
  }

  async delete(scope: TaskScope, number: number, within: Transactional = this.db): Promise<Task> {
    return this.changeRoom(scope, within, async (tx) => {
      const task = (await this.tasks.lockRoom(tx, scope)) ? await this.tasks.delete(tx, scope, number) : undefined;
      if (!task) throw taskNotFound(number);
      await this.pushGlance(tx, scope);
      return task;
    });
  }

  settings(oauthId: string): Promise<TaskSettings> {
    return this.cachedSettings.get(oauthId, () => this.settingsRepository.get(oauthId));
  }

  /** A token-connected room has no configuration page, so its list keeps the default settings. */
  async settingsFor(scope: TaskScope): Promise<TaskSettings> {
    return scope.kind === 'installation' ? this.settings(scope.oauthId) : DEFAULT_SETTINGS;
  }

  async updateSettings(oauthId: string, update: SettingsUpdate, within: Transactional = this.db): Promise<TaskSettings> {
    const forget = () => this.cachedSettings.forget(oauthId);
    const settings = await within.transaction(async (tx) => {
      const saved = await this.settingsRepository.update(oauthId, update, tx);
      await this.cachedSettings.invalidate(oauthId, tx);
      return saved;
    });
    forget();
    within.afterCommit?.(forget);
    return settings;
  }

  /**
   * A change to a room's tasks: one transaction, then this process forgets the old open list at once
   * (again once the enclosing transaction commits, when the change joined one).
   */
  private async changeRoom<T>(scope: TaskScope, within: Transactional, change: (tx: Queryable) => Promise<T>): Promise<T> {
    const forget = () => this.cachedOpenTasks.forget(roomKey(scope));
    try {
      return await within.transaction(async (tx) => {
        await this.frozen.refuseChange(tx, scope);
        return change(tx);
      });
    } finally {
      forget();
      within.afterCommit?.(forget);
    }
  }

  /**
   * Every change goes through here, in its transaction: the new count is pushed and cached copies dropped.
   * A token-connected room has no glance (and its token may only send notifications): nothing is pushed.
   */
  private async pushGlance(tx: Queryable, scope: TaskScope, archived = false): Promise<void> {
    await this.cachedOpenTasks.invalidate(roomKey(scope), tx);
    if (scope.kind !== 'installation') return;
    const open = await this.tasks.countOpen(tx, scope);
    await this.notifications.updateRoomGlance(scope, [{ key: TASKS_GLANCE_KEY, content: buildGlance(open, { archived }) }], { tx });
  }
}

/** At most this many open tasks are held in memory over all rooms (a few hundred bytes each). */
const OPEN_TASKS_CACHED = 50_000;

function roomKey(scope: TaskScope): string {
  return `${listOwner(scope)}:${scope.roomId}`;
}

function taskNotFound(number: number) {
  return notFound(`There is no task #${number} in this room.`, 'task_not_found');
}
