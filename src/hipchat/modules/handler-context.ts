import type { Logger } from '../../shared/logger';
import type { Db, Queryable } from '../../store/db';
import type { Transactional } from '../../store/transactional';
import type { HipChatApi } from '../api/hipchat-api';
import type { GlanceContent, PrivateMessage, RoomNotification } from '../api/hipchat-messages';
import type { DeliveryTarget } from '../delivery/delivery-target';
import type { NotificationService } from '../delivery/notification-service';
import type { WebhookEventName, WebhookPayload } from '../events/webhook-events';
import type { Installation } from '../installations/installation';
import type { HipChatContext } from '../jwt/hipchat-context';
import { NotAvailableHere, toNotification } from './reply';

export interface RoomRef {
  id: number;
  name?: string;
}

export interface UserRef {
  /** HipChat's user id (the JWT's sub; in a token-connected room, the body's sender). */
  id: string;
  name?: string;
  mentionName?: string;
}

/** What every handler gets: who, where, and how to answer. */
export interface HandlerContext {
  /** The key of the module the handler belongs to. */
  module: string;
  requestId: string | undefined;
  /** Request-scoped: every line carries the request id and the module. */
  logger: Logger;
  /** Where room notifications go: the installation, or a room connected with a notification token. */
  target: DeliveryTarget;
  /** Undefined in a room connected with a notification token. */
  installation: Installation | undefined;
  room: RoomRef;
  user: UserRef | undefined;
  /**
   * The database for the handler's own queries. An event's handlers run in the transaction that records
   * the webhook as used: their writes commit with it (and a query on another connection could wait on it).
   */
  db: Queryable;
  /** The typed REST client for the installation (throws NotAvailableHere in token-connected rooms). */
  readonly api: HipChatApi;
  /** Queues a notification in the room (outbox: delivered at least once, in order). */
  notify(message: string | RoomNotification): Promise<void>;
  /** Answers in the room: a command's answer is HipChat's reply to the webhook; elsewhere a notification. */
  reply(message: string | RoomNotification): Promise<void>;
  glance: { push(key: string, content: GlanceContent): Promise<void> };
  /** A private message to a user (id, e-mail or @mention name), sent at once (scope send_message). */
  privateMessage(user: number | string, message: string | PrivateMessage): Promise<void>;
}

/** A slash command or pattern handler's context. */
export interface CommandContext extends HandlerContext {
  /** The slash command ('/task'), or the pattern's key. */
  command: string;
  /** The whole message text. */
  text: string;
  /** The text after the command, trimmed. */
  args: string;
  /** The user's name as HipChat shows it (asked of HipChat for an installation: the body is not signed). */
  displayName(): Promise<string | null>;
  /**
   * Runs a change once per signed webhook (HipChat may retry one): a replay gets the first answer again
   * and changes nothing. Token-connected rooms have no JWT to key it on: the change simply runs.
   */
  once<R>(effect: (within: Transactional | undefined) => Promise<R>): Promise<R>;
}

/** An event handler's context: the validated payload of its event. */
export interface EventContext<E extends WebhookEventName = WebhookEventName> extends HandlerContext {
  event: E;
  payload: WebhookPayload<E>;
  /**
   * Runs `effect` once the event's transaction committed, before the webhook is answered: for calls to
   * HipChat that must not hold the transaction open (a private message after claiming it in `db`). A
   * failure is logged; the event stays done.
   */
  afterCommit(effect: () => Promise<void> | void): void;
}

/** A glance provider's context: the verified JWT's installation, room and user. */
export interface GlanceContext {
  module: string;
  logger: Logger;
  installation: Installation;
  room: RoomRef;
  user: UserRef | undefined;
  jwt: HipChatContext;
}

export interface ContextDeps {
  db: Db;
  notifications: NotificationService;
  api(installation: Installation): HipChatApi;
}

export interface ContextInput {
  module: string;
  requestId: string | undefined;
  logger: Logger;
  target: DeliveryTarget;
  installation: Installation | undefined;
  room: RoomRef;
  user: UserRef | undefined;
  /** The transaction notifications join (an event's, committed with its replay record). */
  tx?: Queryable;
  /** How reply() answers; by default it notifies. */
  reply?: (notification: RoomNotification) => Promise<void>;
}

/** Builds the context a handler sees; what a token-connected room lacks throws NotAvailableHere. */
export function buildHandlerContext(deps: ContextDeps, input: ContextInput): HandlerContext {
  const { installation, target, tx } = input;
  const options = tx ? { tx } : {};
  const need = (what: string): Installation => {
    if (!installation) throw new NotAvailableHere(what);
    return installation;
  };
  const notify = async (message: string | RoomNotification) => {
    await deps.notifications.sendRoomNotification(target, toNotification(message), options);
  };
  return {
    module: input.module,
    requestId: input.requestId,
    logger: input.logger,
    target,
    installation,
    room: input.room,
    user: input.user,
    db: tx ?? deps.db,
    get api() {
      return deps.api(need('the HipChat REST API'));
    },
    notify,
    reply: async (message) => (input.reply ? input.reply(toNotification(message)) : notify(message)),
    glance: {
      push: async (key, content) => {
        need('a glance');
        await deps.notifications.updateRoomGlance(target, [{ key, content }], options);
      },
    },
    privateMessage: (user, message) => deps.api(need('a private message')).sendPrivateMessage(user, message),
  };
}
