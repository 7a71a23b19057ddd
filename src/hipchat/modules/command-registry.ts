import { HttpError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { currentRequestId } from '../../shared/request-context';
import type { RoomNotification } from '../api/hipchat-messages';
import type { CommandScope, CommandSender } from '../commands/command-handler';
import type { CommandHandler } from './addon-module';
import type { CommandDispatcher } from './module-services';

export type { CommandDispatcher };
import { buildHandlerContext, type CommandContext, type ContextDeps, type HandlerContext } from './handler-context';
import { handlerFailedNotice, notAvailableReply, NotAvailableHere, toNotification } from './reply';

export interface RegisteredCommand {
  module: string;
  /** '/task', or a pattern's key. */
  command: string;
  handler: CommandHandler;
}


/** The first word of a message, when it is a slash command ("/task add x" → "/task"). */
export function commandOf(text: string): string | undefined {
  const first = text.trimStart().split(/\s/, 1)[0] ?? '';
  return /^\/[A-Za-z0-9_.-]{1,40}$/.test(first) ? first : undefined;
}

/** The modules' slash commands, by command: one module per command. */
export class CommandRegistry implements CommandDispatcher {
  private readonly commands = new Map<string, RegisteredCommand>();
  private deps: { context: ContextDeps; logger: Logger } | undefined;
  /** Each command's child logger, made once (pino's child() serialises its bindings; the mixin adds the request id). */
  private readonly loggers = new Map<RegisteredCommand, Logger>();

  register(entry: RegisteredCommand): void {
    const taken = this.commands.get(entry.command);
    if (taken) throw new Error(`The command ${entry.command} is registered by modules "${taken.module}" and "${entry.module}"`);
    this.commands.set(entry.command, entry);
  }

  /**
   * The command a message runs. A build-your-own integration names its slash command itself (a room may
   * call Tasks "/todo"): when the add-on has a single command, every message of such a room runs it.
   */
  entryFor(text: string): RegisteredCommand | undefined {
    const command = commandOf(text);
    const entry = command === undefined ? undefined : this.commands.get(command);
    if (entry || this.commands.size !== 1) return entry;
    return this.commands.values().next().value;
  }

  list(): RegisteredCommand[] {
    return [...this.commands.values()];
  }

  /** Set once the core's services exist (modules receive the registry before it is filled). */
  connect(deps: { context: ContextDeps; logger: Logger }): void {
    this.deps = deps;
    this.loggers.clear();
  }

  async runInTokenRoom(scope: Extract<CommandScope, { kind: 'room_token' }>, text: string, sender: CommandSender): Promise<RoomNotification | undefined> {
    const entry = this.entryFor(text);
    if (!entry || !this.deps) return undefined;
    const requestId = currentRequestId();
    const logger = this.loggerFor(entry, this.deps.logger);
    let answer: RoomNotification | undefined;
    const base = buildHandlerContext(this.deps.context, {
      module: entry.module,
      requestId,
      logger,
      target: scope,
      installation: undefined,
      room: { id: scope.roomId },
      user: { id: String(sender.id), name: sender.name, mentionName: sender.mentionName },
      reply: async (notification) => void (answer = notification),
    });
    const ctx = commandContext(base, entry.command, text, async () => sender.name, (effect) => effect(undefined));
    return runCommand(entry, ctx, () => answer);
  }

  private loggerFor(entry: RegisteredCommand, parent: Logger): Logger {
    let logger = this.loggers.get(entry);
    if (!logger) {
      logger = parent.child({ module: entry.module, command: entry.command });
      this.loggers.set(entry, logger);
    }
    return logger;
  }
}

export function commandContext(
  base: HandlerContext,
  command: string,
  text: string,
  displayName: () => Promise<string | null>,
  once: CommandContext['once'],
): CommandContext {
  const args = text.trimStart().startsWith(command) ? text.trimStart().slice(command.length).trim() : text.trim();
  // The base (made for this request only) takes the command's fields itself. Spread would read the `api`
  // getter (and throw in token rooms); a fresh object made a prototype costs V8 a new prototype map per request.
  return Object.assign(base, { command, text, args, displayName, once });
}

/**
 * Runs one command handler: its answer (returned or given to reply()) is the room's reply. A context
 * method the room lacks is answered in the room; an unexpected failure is logged with the request id,
 * the room is told briefly, and the error goes on (the caller answers 500).
 */
export async function runCommand(
  entry: RegisteredCommand,
  ctx: CommandContext,
  replied: () => RoomNotification | undefined,
): Promise<RoomNotification | undefined> {
  try {
    const answer = await entry.handler(ctx);
    return answer ? toNotification(answer) : replied();
  } catch (error) {
    if (error instanceof NotAvailableHere) return notAvailableReply(entry.command, error);
    throw await reportFailure(ctx, `${entry.command}`, error);
  }
}

/** Logs a handler's failure and tells the room briefly; returns the error to rethrow. */
export async function reportFailure(ctx: HandlerContext, what: string, error: unknown): Promise<unknown> {
  if (isClientError(error)) return error;
  ctx.logger.error({ err: error, requestId: ctx.requestId }, 'handler failed');
  await ctx.notify(handlerFailedNotice(what, ctx.requestId)).catch((notifyError: unknown) => {
    ctx.logger.warn({ err: notifyError }, 'could not tell the room that a handler failed');
  });
  return new HandlerFailed(ctx.requestId, error);
}

/** A deliberate refusal (HttpError 4xx, e.g. a replay or a wrong room) is answered as such, not as a failure. */
function isClientError(error: unknown): boolean {
  return error instanceof HttpError && error.status < 500;
}

/** A handler failed unexpectedly: answered 500 with the request id; the cause is in the log. */
export class HandlerFailed extends HttpError {
  constructor(requestId: string | undefined, cause: unknown) {
    super(500, 'handler_failed', `A handler failed on our side${requestId ? ` (request ${requestId})` : ''}`);
    this.cause = cause;
  }
}
