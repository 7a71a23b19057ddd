import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { RoomAdminAuthority } from '../../hipchat/authz/room-admin-authority';
import { requireRoomAdmin } from '../../hipchat/authz/require-room-admin';
import { hipchatContext, requireJwt } from '../../hipchat/jwt/require-jwt';
import type { JwtVerifier } from '../../hipchat/jwt/jwt-verifier';
import type { ReplayGuard } from '../../hipchat/replay/replay-guard';
import { badRequest } from '../../shared/errors';
import { MAX_STORED_ID, parseInput } from '../../shared/validate';
import { settingsUpdateSchema } from '../settings/task-settings';
import { parseTaskNumber, type Task } from '../tasks/task';
import type { TaskService } from '../tasks/task-service';
import { roomScope } from './room-scope';

// roomId may be repeated in a body; roomScope refuses any other room than the JWT's.
const createBody = z.object({ text: z.string(), roomId: z.unknown().optional() });
const patchBody = z
  .strictObject({
    done: z.boolean().optional(),
    assignee: z.string().nullable().optional(),
    roomId: z.unknown().optional(),
  })
  .refine((body) => body.done !== undefined || body.assignee !== undefined, { message: 'must set done or assignee' });

/** A task as the JSON API shows it. */
export function taskView(task: Task) {
  return {
    number: task.number,
    text: task.text,
    done: task.done,
    assignee: task.assignee,
    createdBy: task.createdBy,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}

/** The JSON API the pages call with `Authorization: JWT <token>`; the room is always the JWT's. */
export function apiRoutes(deps: { jwt: JwtVerifier; tasks: TaskService; replay: ReplayGuard; cors: RequestHandler; roomAdmins: RoomAdminAuthority }): Router {
  const router = Router();
  const { tasks } = deps;
  // Each write runs once per signed request (409 replayed_request for a replay); reads stay off the table.
  const once = (res: Response) => deps.replay.once(hipchatContext(res));
  router.use('/api/tasks', deps.cors);
  router.use('/api/settings', deps.cors);
  router.use(['/api/tasks', '/api/settings'], requireJwt(deps.jwt), (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/api/tasks', async (req, res) => {
    const scope = roomScope(req, res);
    const all = req.query.all === '1' || req.query.all === 'true';
    // The open list gives the count; a second read is needed only for `all`.
    const [open, everything] = await Promise.all([tasks.list(scope), all ? tasks.list(scope, { all }) : undefined]);
    res.json({ tasks: (everything ?? open).map(taskView), openCount: open.length });
  });

  router.post('/api/tasks', async (req, res) => {
    const scope = roomScope(req, res);
    const body = parseInput(createBody, req.body);
    const userId = hipchatContext(res).userId;
    const task = await tasks.add(scope, body.text, { userId }, once(res));
    res.status(201).json({ task: taskView(task) });
  });

  router.patch('/api/tasks/:number', async (req, res) => {
    const scope = roomScope(req, res);
    const number = taskNumber(req);
    const body = parseInput(patchBody, req.body);
    const { task } = await tasks.update(scope, number, { done: body.done, assignee: body.assignee }, once(res));
    res.json({ task: taskView(task) });
  });

  router.delete('/api/tasks/:number', async (req, res) => {
    const scope = roomScope(req, res);
    await tasks.delete(scope, taskNumber(req), once(res));
    res.status(204).end();
  });

  router.get('/api/settings', async (_req, res) => {
    res.json(await tasks.settings(hipchatContext(res).oauthId));
  });

  // Members use Tasks; only an admin of the installation's room (a group admin, for a global one) configures it.
  router.put('/api/settings', requireRoomAdmin(deps.roomAdmins), async (_req, res) => {
    const update = parseInput(settingsUpdateSchema, _req.body);
    res.json(await tasks.updateSettings(hipchatContext(res).oauthId, update, once(res)));
  });
  return router;
}

function taskNumber(req: Request): number {
  const number = parseTaskNumber(String(req.params.number));
  if (number === undefined || String(req.params.number).startsWith('#')) {
    throw badRequest(`number: must be a whole number from 1 to ${MAX_STORED_ID}`, 'invalid_request');
  }
  return number;
}
