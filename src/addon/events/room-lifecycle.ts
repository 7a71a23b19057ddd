import type { EventHandlers } from '../../hipchat/modules/addon-module';
import type { EventContext } from '../../hipchat/modules/handler-context';
import type { TaskService } from '../tasks/task-service';

function scopeOf(ctx: EventContext) {
  return ctx.installation ? { kind: 'installation' as const, oauthId: ctx.installation.oauthId, roomId: ctx.room.id } : undefined;
}

/**
 * What Tasks does as its rooms change. Archived: the list is frozen (changes refused with 409
 * room_archived, the glance says "(archived)") until unarchived. Deleted (sent to global installations):
 * the room's list goes. A new topic changes nothing: a topic is not a task (see README).
 */
export function roomLifecycle(tasks: TaskService): EventHandlers {
  return {
    room_archived: async (ctx) => {
      const scope = scopeOf(ctx);
      if (scope) await tasks.setArchived(ctx.db, scope, true);
    },
    room_unarchived: async (ctx) => {
      const scope = scopeOf(ctx);
      if (scope) await tasks.setArchived(ctx.db, scope, false);
    },
    room_deleted: async (ctx) => {
      const scope = scopeOf(ctx);
      if (scope) await tasks.deleteRoom(ctx.db, scope);
    },
  };
}
