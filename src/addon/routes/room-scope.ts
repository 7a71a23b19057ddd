import type { Request, Response } from 'express';
import { hipchatContext } from '../../hipchat/jwt/require-jwt';
import { badRequest, forbidden } from '../../shared/errors';
import { parseInput, storedIdSchema, storedIdTextSchema } from '../../shared/validate';
import type { TaskScope } from '../tasks/task';

/**
 * The room a request acts on comes only from the verified JWT. A request that also names a room
 * (?roomId=, a body roomId) is refused unless it names that same room.
 */
export function roomScope(req: Request, res: Response): TaskScope {
  const context = hipchatContext(res);
  const roomId = context.roomId;
  if (roomId === null || roomId <= 0) {
    throw badRequest('The JWT names no room (context.room_id); open Tasks from a room', 'room_required');
  }
  for (const [field, named] of namedRooms(req)) {
    const id = parseInput(typeof named === 'string' ? storedIdTextSchema : storedIdSchema, named, field);
    if (id !== roomId) throw forbidden('This token cannot act on another room', 'wrong_room');
  }
  return { kind: 'installation', oauthId: context.oauthId, roomId };
}

function namedRooms(req: Request): Array<[string, unknown]> {
  const query = req.query as Record<string, unknown>;
  const body: unknown = req.body;
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const named: Array<[string, unknown]> = [
    ['roomId', query.roomId],
    ['room_id', query.room_id],
    ['roomId', fields.roomId],
    ['room_id', fields.room_id],
  ];
  return named.filter(([, value]) => value !== undefined);
}
