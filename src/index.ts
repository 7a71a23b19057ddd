/**
 * The package's core entry point (`hipchat-connect-server`). Everything not exported here, from
 * `./emulator` or from `./testing` is private to the package. Nothing runs at import.
 *
 * The public API of the server: start an add-on from its modules, declare a module, and the types its
 * handlers see. Examples and add-ons outside this repository import from here only.
 */
export { loadConfig, ConfigError, type Config } from './config';
export { startAddon, type RunningAddon, type StartOptions } from './runtime';
export { builtinModules } from './builtin-modules';
export type { AddonIdentity } from './hipchat/descriptor/compose-descriptor';
export {
  defineModule,
  type AddonModule,
  type CommandHandler,
  type DescriptorEntry,
  type EventHandler,
  type EventHandlers,
  type GlanceProvider,
  type MessagePattern,
  type ModuleDescriptor,
  type ModuleMigrations,
  type ModuleParts,
} from './hipchat/modules/addon-module';
export type { CommandContext, EventContext, GlanceContext, HandlerContext, RoomRef, UserRef } from './hipchat/modules/handler-context';
export type { ModuleServices, CommandDispatcher } from './hipchat/modules/module-services';
export { NotAvailableHere, type CommandAnswer } from './hipchat/modules/reply';
export { WEBHOOK_EVENTS, webhookSchemas, type WebhookEventName, type WebhookPayload } from './hipchat/events/webhook-events';
export { HipChatApi } from './hipchat/api/hipchat-api';
export type { GlanceContent, PrivateMessage, RoomNotification } from './hipchat/api/hipchat-messages';
export { requireJwt, hipchatContext } from './hipchat/jwt/require-jwt';
export type { HipChatContext } from './hipchat/jwt/hipchat-context';
export type { Installation } from './hipchat/installations/installation';
export type { BackgroundTask } from './shared/background-task';
export { HttpError, badRequest, forbidden, notFound } from './shared/errors';
export { createLogger, type Logger } from './shared/logger';
export type { Db, Queryable } from './store/db';
export type { SealedColumn } from './store/seal-stored-secrets';
export type { Transactional } from './store/transactional';
