import { Router, type Request, type RequestHandler, type Response } from 'express';
import { inSequence } from '../../http/in-sequence';
import { sendJson } from '../../http/send-json';
import { badRequest, forbidden, notFound } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { currentRequestId } from '../../shared/request-context';
import { parseInput } from '../../shared/validate';
import type { RoomNotification } from '../api/hipchat-messages';
import type { RoomAdminAuthority } from '../authz/room-admin-authority';
import { isWebhookEvent, webhookSchemas, type WebhookEventName, type WebhookPayload } from '../events/webhook-events';
import type { HipChatContext } from '../jwt/hipchat-context';
import type { JwtVerifier } from '../jwt/jwt-verifier';
import { hipchatContext, requireJwt } from '../jwt/require-jwt';
import type { ReplayGuard } from '../replay/replay-guard';
import type { CommandRoute, EventHandlerTable } from './assemble-modules';
import { commandContext, reportFailure, runCommand } from './command-registry';
import { confirmRoomEvent } from './confirm-room-event';
import { buildHandlerContext, type ContextDeps, type EventContext, type UserRef } from './handler-context';

export interface ListenerDeps {
  jwt: JwtVerifier;
  replay: ReplayGuard;
  roomAdmins: Pick<RoomAdminAuthority, 'require' | 'displayName'>;
  context: ContextDeps;
  logger: Logger;
  /** The body parser webhook routes run first (the listener may be mounted before the app's own). */
  parseBody?: RequestHandler;
}

/**
 * The one place webhooks come in: the JWT is verified (and the body's issuer and sender held against
 * it), the body is validated with its event's schema, the room is checked, then the registered handlers
 * run with a typed context. A webhook nothing handles answers 204.
 */
export function webhookListener(deps: ListenerDeps, commands: CommandRoute[], events: EventHandlerTable): Router {
  const router = Router();
  const verified = [...(deps.parseBody ? [deps.parseBody] : []), requireJwt(deps.jwt, { webhook: true })];
  // Each route is one layer (parse, verify, handle): the router walks one instead of three per webhook.
  const route = (path: string, handle: (req: Request, res: Response) => Promise<void>) => router.post(path, inSequence(...verified, handle));
  for (const command of commands) {
    // Made once, like the events' loggers below.
    const logger = deps.logger.child({ module: command.entry.module, command: command.entry.command });
    route(command.path, (req, res) => runCommandWebhook(deps, command, logger, req, res));
  }
  const eventLoggers = loggersByModule(deps.logger, events);
  route('/webhooks/events/:event', (req, res) => runEventWebhook(deps, events, eventLoggers, req, res));
  return router;
}

type EventLoggers = Map<WebhookEventName, Map<string, Logger>>;

/**
 * One child logger per (event, module), made once: its bindings are constant, and pino's child()
 * serialises and redacts them (kilobytes per call). The request id comes from the logger's mixin.
 */
function loggersByModule(logger: Logger, events: EventHandlerTable): EventLoggers {
  const loggers: EventLoggers = new Map();
  for (const [event, handlers] of events) {
    loggers.set(event, new Map(handlers.map(({ module }) => [module, logger.child({ module, event })])));
  }
  return loggers;
}

/**
 * The body is not covered by the signature: its room must agree with the JWT's (context.room_id, else
 * the room installation's room). A global installation's JWT without a room would let the body pick any
 * room of the group: only an admin of that room may.
 */
async function checkRoom(deps: ListenerDeps, jwt: HipChatContext, bodyRoom: number): Promise<void> {
  if (jwt.roomId !== null && jwt.roomId !== bodyRoom) throw forbidden("The webhook's room does not match the JWT's room", 'wrong_room');
  if (jwt.roomId === null) await deps.roomAdmins.require(jwt, bodyRoom);
}

/** The user is the JWT's sub (requireJwt refused a body naming another); names are the body's word. */
function userOf(jwt: HipChatContext, named: { name?: string | undefined; mention_name?: string | undefined } | undefined): UserRef | undefined {
  if (jwt.userId === null) return undefined;
  return { id: jwt.userId, ...(named?.name ? { name: named.name } : {}), ...(named?.mention_name ? { mentionName: named.mention_name } : {}) };
}

async function runCommandWebhook(deps: ListenerDeps, route: CommandRoute, logger: Logger, req: Request, res: Response): Promise<void> {
  const jwt = hipchatContext(res);
  const body = parseInput(webhookSchemas.room_message, req.body);
  const room = body.item.room;
  // The JWT's own room (every room installation, and HipChat's usual case) needs no check and no await.
  if (jwt.roomId !== room.id) await checkRoom(deps, jwt, room.id);
  let replied: RoomNotification | undefined;
  const base = buildHandlerContext(deps.context, {
    module: route.entry.module,
    requestId: currentRequestId(),
    logger,
    target: { kind: 'installation', oauthId: jwt.oauthId, roomId: room.id },
    installation: jwt.installation,
    room: { id: room.id, ...(room.name ? { name: room.name } : {}) },
    user: userOf(jwt, body.item.message.from),
    reply: async (notification) => void (replied = notification),
  });
  const ctx = commandContext(
    base,
    route.entry.command,
    body.item.message.message,
    () => deps.roomAdmins.displayName(jwt),
    (effect) => deps.replay.replyOnce(jwt, effect),
  );
  const answer = await runCommand(route.entry, ctx, () => replied);
  // HipChat posts a JSON answer into the room as a notification.
  if (answer) sendJson(res, answer);
  else res.status(204).end();
}

async function runEventWebhook(deps: ListenerDeps, events: EventHandlerTable, loggers: EventLoggers, req: Request, res: Response): Promise<void> {
  const event = req.params.event;
  if (!isWebhookEvent(event)) throw notFound(`No HipChat event is called ${String(event)}`, 'unknown_event');
  const jwt = hipchatContext(res);
  const payload = parseInput(webhookSchemas[event], req.body) as WebhookPayload;
  if (payload.event !== event) throw badRequest(`event: must be ${event}`, 'invalid_request');
  const room = payload.item.room;
  await checkRoom(deps, jwt, room.id);
  const handlers = events.get(event) ?? [];
  if (handlers.length === 0) {
    res.status(204).end();
    return;
  }
  await confirmRoomEvent(event, room.id, deps.context.api(jwt.installation));
  const sender = (payload.item as { sender?: { name?: string; mention_name?: string } }).sender;
  const input = (module: string) => ({
    module,
    requestId: currentRequestId(),
    logger: loggers.get(event)?.get(module) ?? deps.logger.child({ module, event }),
    target: { kind: 'installation' as const, oauthId: jwt.oauthId, roomId: room.id },
    installation: jwt.installation,
    room: { id: room.id, ...(room.name ? { name: room.name } : {}) },
    user: userOf(jwt, sender),
  });
  const committed: Array<{ module: string; effect: () => Promise<void> | void }> = [];
  // An event takes effect once: the handlers' queued notifications commit with the JWT's replay record,
  // so a repeated delivery (HipChat may retry) is refused (409) and changes nothing.
  await deps.replay.replyOnce(jwt, (within) =>
    within.transaction(async (tx) => {
      for (const { module, handler } of handlers) {
        const afterCommit = (effect: () => Promise<void> | void) => void committed.push({ module, effect });
        const ctx: EventContext<WebhookEventName> = Object.assign(buildHandlerContext(deps.context, { ...input(module), tx }), { event, payload, afterCommit });
        try {
          await handler(ctx);
        } catch (error) {
          throw await reportFailure(buildHandlerContext(deps.context, input(module)), `the ${event} handler of ${module}`, error);
        }
      }
      return null;
    }),
  );
  for (const { module, effect } of committed) {
    try {
      await effect();
    } catch (error) {
      deps.logger.warn({ module, event, err: error }, 'an event handler\'s after-commit effect failed');
    }
  }
  res.status(204).end();
}
