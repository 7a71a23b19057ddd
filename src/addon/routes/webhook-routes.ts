import { Router } from 'express';
import { z } from 'zod';
import type { RoomAdminAuthority } from '../../hipchat/authz/room-admin-authority';
import { hipchatContext, requireJwt } from '../../hipchat/jwt/require-jwt';
import type { JwtVerifier } from '../../hipchat/jwt/jwt-verifier';
import type { ReplayGuard } from '../../hipchat/replay/replay-guard';
import { forbidden } from '../../shared/errors';
import { parseInput, storedIdOrTextSchema, storedIdSchema } from '../../shared/validate';
import { parseTaskCommand } from '../commands/parse-task-command';
import { runTaskCommand } from '../commands/run-task-command';
import type { TaskScope } from '../tasks/task';
import type { TaskService } from '../tasks/task-service';

const roomMessageWebhook = z.object({
  event: z.literal('room_message'),
  item: z.object({
    message: z.object({
      message: z.string().max(20_000),
      from: z
        .object({ id: storedIdOrTextSchema.optional(), name: z.string().max(200).optional(), mention_name: z.string().max(200).optional() })
        .optional(),
    }),
    room: z.object({ id: storedIdSchema }),
  }),
});

/** POST /webhooks/task: the /task slash command. The reply is the JSON answer, which HipChat posts to the room. */
export function webhookRoutes(deps: {
  jwt: JwtVerifier;
  tasks: TaskService;
  replay: ReplayGuard;
  roomAdmins: Pick<RoomAdminAuthority, 'require' | 'displayName'>;
}): Router {
  const router = Router();
  router.post('/webhooks/task', requireJwt(deps.jwt, { webhook: true }), async (req, res) => {
    const context = hipchatContext(res);
    const body = parseInput(roomMessageWebhook, req.body);
    const bodyRoom = body.item.room.id;
    // The body is not covered by the signature: it must agree with the JWT's room (context.room_id, else
    // the room installation's room). A global installation's JWT without a room would let the body pick
    // any room of the group to create tasks and post announcements in: only a group admin may do that.
    if (context.roomId !== null && context.roomId !== bodyRoom) {
      throw forbidden("The webhook's room does not match the JWT's room", 'wrong_room');
    }
    if (context.roomId === null) await deps.roomAdmins.require(context, bodyRoom);
    // The user is the JWT's sub (requireJwt refused a body naming another sender). The body's name is
    // the caller's word, so a name shown to the room (the "added by" announcement) is HipChat's.
    const scope = { kind: 'installation', oauthId: context.oauthId, roomId: bodyRoom } as const;
    const message = body.item.message.message;
    const name = (await announcesAnAdd(deps.tasks, scope, message)) ? await deps.roomAdmins.displayName(context) : null;
    const notification = await runTaskCommand(
      deps.tasks,
      scope,
      message,
      { userId: context.userId, name },
      (effect) => deps.replay.replyOnce(context, effect),
    );
    res.json(notification);
  });
  return router;
}

/** Whether the message adds a task that will be announced with its author's name (asked of HipChat only then). */
async function announcesAnAdd(tasks: TaskService, scope: TaskScope, message: string): Promise<boolean> {
  return parseTaskCommand(message).kind === 'add' && (await tasks.settingsFor(scope)).announceNewTasks;
}
