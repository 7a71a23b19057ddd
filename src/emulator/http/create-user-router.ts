import express, { Router } from 'express';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context';
import { senderForToken } from '../api/sender-for-token';
import { emulatorExtras } from '../model/emulator-extras';
import type { AccessToken, User } from '../model/types';
import { applyFloodControl, getAccessToken, requireScope } from './authenticate-api-request';
import { HipChatError } from './hipchat-error';

export function userJson(ctx: EmulatorContext, user: User): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    mention_name: user.mention_name,
    email: user.email,
    title: '',
    is_group_admin: user.is_group_admin,
    is_guest: user.is_guest,
    is_deleted: false,
    timezone: user.timezone,
    presence: null,
    created: '2017-01-01T00:00:00+00:00',
    xmpp_jid: `${user.groupId}_${user.id}@chat.emulator`,
    links: { self: `${ctx.baseUrl()}/v2/user/${user.id}` },
  };
}

/** Private message body (API reference): message 1–10000, message_format html|text (default text), notify. */
const privateMessageSchema = z.object({
  message: z.string({ message: 'is required, a string of 1 to 10000 characters' }).min(1, 'must be 1 to 10000 characters').max(10_000, 'must be 1 to 10000 characters'),
  message_format: z.enum(['html', 'text']).default('text'),
  notify: z.boolean({ message: 'must be a boolean' }).default(false),
});

function findUserForToken(ctx: EmulatorContext, token: AccessToken, idOrEmail: string): User {
  const user = ctx.state.findUser(idOrEmail);
  // A user of another group is invisible to the token, like a room of another group.
  if (!user || user.groupId !== token.groupId) throw new HipChatError(404, `User not found: ${idOrEmail}`);
  return user;
}

/**
 * `GET /v2/user/{id_or_email}` (scope view_group): what add-ons ask to learn whether a user is a group admin.
 * `POST /v2/user/{id_or_email}/message` (scope send_message): a private message into the user's private chat, 204.
 */
export function createUserRouter(ctx: EmulatorContext): Router {
  const router = Router();
  router.get('/user/:user', (req, res) => {
    const token = getAccessToken(res);
    requireScope(token, 'view_group');
    const user = findUserForToken(ctx, token, typeof req.params.user === 'string' ? req.params.user : '');
    ctx.stats.userLookups += 1;
    res.json(userJson(ctx, user));
  });
  router.post('/user/:user/message', express.json({ limit: '100kb' }), (req, res) => {
    const token = getAccessToken(res);
    requireScope(token, 'send_message');
    const user = findUserForToken(ctx, token, typeof req.params.user === 'string' ? req.params.user : '');
    const parsed = privateMessageSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HipChatError(400, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    }
    // Flood control counts messages to one user as HipChat counted them per room.
    applyFloodControl(ctx, res, `user:${user.id}`);
    emulatorExtras(ctx.state).appendPrivateMessage({ userId: user.id, from: senderForToken(ctx.state, token), ...parsed.data });
    res.status(204).end();
  });
  return router;
}
