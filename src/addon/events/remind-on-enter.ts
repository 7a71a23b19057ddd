import { z } from 'zod';
import type { EventHandler } from '../../hipchat/modules/addon-module';
import type { Queryable } from '../../store/db';
import { renderReminder } from '../commands/render-task-replies';
import type { TaskService } from '../tasks/task-service';

/**
 * Claims today's reminder for (installation, room, person): true for the first enter in 24 hours. In the
 * event's transaction, so a retried webhook or a second instance sees the claim and sends nothing.
 */
async function claimReminder(tx: Queryable, oauthId: string, roomId: number, userId: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO task_reminders (oauth_id, room_id, user_id, reminded_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (oauth_id, room_id, user_id) DO UPDATE SET reminded_at = EXCLUDED.reminded_at
       WHERE task_reminders.reminded_at <= EXCLUDED.reminded_at - interval '1 day'`,
    [oauthId, roomId, userId],
  );
  return rowCount > 0;
}

const hipchatUser = z.looseObject({ mention_name: z.string() });

/**
 * room_enter, when the installation opted in (settings.remindOnEnter): a private message to the person
 * listing their open tasks in the room, at most once a day per person and room. Tasks are assigned by
 * mention name; the body's mention name picks them and HipChat's own (asked after the commit) must agree
 * before anything is sent, since the body is not signed.
 */
export function remindOnEnter(tasks: TaskService): EventHandler<'room_enter'> {
  return async (ctx) => {
    const mentionName = ctx.payload.item.sender.mention_name;
    if (!ctx.installation || !ctx.user || !mentionName) return;
    const scope = { kind: 'installation' as const, oauthId: ctx.installation.oauthId, roomId: ctx.room.id };
    if (!(await tasks.settingsIn(ctx.db, scope.oauthId)).remindOnEnter) return;
    const mine = await tasks.openAssignedIn(ctx.db, scope, mentionName);
    if (mine.length === 0 || !(await claimReminder(ctx.db, scope.oauthId, scope.roomId, ctx.user.id))) return;
    const userId = ctx.user.id;
    const roomName = ctx.room.name ?? `room ${ctx.room.id}`;
    // Calls to HipChat wait for the commit: they must not hold the event's transaction (or its connection).
    ctx.afterCommit(async () => {
      const known = hipchatUser.safeParse(await ctx.api.getUser(userId));
      if (!known.success || known.data.mention_name.toLowerCase() !== mentionName.toLowerCase()) {
        ctx.logger.warn({ userId }, 'room_enter: the sender is not who HipChat says; no reminder sent');
        return;
      }
      await ctx.privateMessage(userId, { message: renderReminder(roomName, mine), message_format: 'html', notify: false });
    });
  };
}
