import type { Request, RequestHandler, Response } from 'express';
import { hipchatContext } from '../jwt/require-jwt';
import type { RoomAdminAuthority } from './room-admin-authority';

/** The room a request acts on; null = what applies to every room of the group. */
export type TargetRoom = (req: Request, res: Response) => number | null;

/** The room a request's configuration applies to: a room installation's room, else the whole group. */
export const installationRoom: TargetRoom = (_req, res) => hipchatContext(res).installation.roomId;

/**
 * Lets the request through only for an admin of its target room (see decideRoomAdmin); others get
 * 403 not_room_admin, and 503 admin_check_unavailable when HipChat cannot tell. Mount after requireJwt.
 */
export function requireRoomAdmin(authority: RoomAdminAuthority, target: TargetRoom = installationRoom): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals.roomAdminRole = await authority.require(hipchatContext(res), target(req, res));
      next();
    } catch (error) {
      next(error);
    }
  };
}
