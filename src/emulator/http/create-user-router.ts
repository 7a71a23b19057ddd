import { Router } from 'express';
import type { EmulatorContext } from '../emulator-context';
import type { User } from '../model/types';
import { getAccessToken, requireScope } from './authenticate-api-request';
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

/** `GET /v2/user/{id_or_email}` (scope view_group): what add-ons ask to learn whether a user is a group admin. */
export function createUserRouter(ctx: EmulatorContext): Router {
  const router = Router();
  router.get('/user/:user', (req, res) => {
    const token = getAccessToken(res);
    requireScope(token, 'view_group');
    const idOrEmail = typeof req.params.user === 'string' ? req.params.user : '';
    const user = ctx.state.findUser(idOrEmail);
    // A user of another group is invisible to the token, like a room of another group.
    if (!user || user.groupId !== token.groupId) throw new HipChatError(404, `User not found: ${idOrEmail}`);
    ctx.stats.userLookups += 1;
    res.json(userJson(ctx, user));
  });
  return router;
}
