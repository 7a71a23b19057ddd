import { Router } from 'express';
import { z } from 'zod';
import type { RoomAdminAuthority } from '../../hipchat/authz/room-admin-authority';
import { hipchatContext, requireJwt } from '../../hipchat/jwt/require-jwt';
import type { JwtVerifier } from '../../hipchat/jwt/jwt-verifier';
import type { ReplayGuard } from '../../hipchat/replay/replay-guard';
import { forbidden } from '../../shared/errors';
import { parseInput, storedIdOrTextSchema, storedIdSchema } from '../../shared/validate';
import { runTaskCommand } from '../commands/run-task-command';
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
export function webhookRoutes(deps: { jwt: JwtVerifier; tasks: TaskService; replay: ReplayGuard; roomAdmins: Pick<RoomAdminAuthority, 'require'> }): Router {
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
    // The user is the JWT's sub (requireJwt refused a body naming another sender); the body's name is
    // shown only when its id is that same user.
    const from = body.item.message.from;
    const userId = context.userId;
    const name = from?.id !== undefined && String(from.id) === userId ? (from.name ?? null) : null;
    const notification = await runTaskCommand(
      deps.tasks,
      { kind: 'installation', oauthId: context.oauthId, roomId: bodyRoom },
      body.item.message.message,
      { userId, name },
      (effect) => deps.replay.replyOnce(context, effect),
    );
    res.json(notification);
  });
  return router;
}
