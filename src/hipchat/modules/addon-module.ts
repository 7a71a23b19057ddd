import type { Router } from 'express';
import type { BackgroundTask } from '../../shared/background-task';
import type { SealedColumn } from '../../store/seal-stored-secrets';
import type { GlanceContent } from '../api/hipchat-messages';
import type { WebhookEventName } from '../events/webhook-events';
import type { CommandContext, EventContext, GlanceContext } from './handler-context';
import type { ModuleServices } from './module-services';
import type { CommandAnswer } from './reply';

/** One entry of a descriptor module list (glance, webPanel, dialog, action, externalPage): its `key` and HipChat's fields. */
export type DescriptorEntry = { key: string } & Record<string, unknown>;

/** What a module adds to atlassian-connect.json; relative URLs become absolute under BASE_URL. */
export interface ModuleDescriptor {
  /** hipchatApiConsumer.scopes this module needs (merged with every other module's). */
  scopes?: string[];
  /** A glance without `queryUrl` is served by the core from the module's glance provider of the same key. */
  glances?: DescriptorEntry[];
  webPanels?: DescriptorEntry[];
  dialogs?: DescriptorEntry[];
  actions?: DescriptorEntry[];
  externalPages?: DescriptorEntry[];
  /** The configuration page (one per add-on). */
  configurable?: { url: string };
  /** The admin page (one per add-on). */
  adminPage?: { url: string };
}

/** A module's own SQL migrations, recorded under the module's key. */
export interface ModuleMigrations {
  /** A folder of `NNN_name.sql` files, applied in order, each once. */
  dir: string;
  /**
   * Migrations that ran in the shared history before the module had its own ({ '001_tasks': '003_tasks' }):
   * a database that already applied the old version records the new one as applied without running it.
   */
  formerVersions?: Record<string, string>;
  /**
   * Keys of the modules whose migrations must run before these ({ after: ['gateway'] } for a foreign key
   * to a gateway table). They must be among the add-on's modules and listed before this one, or start-up
   * stops saying so: modules' migrations run in the order the modules are listed.
   */
  after?: string[];
}

export type CommandHandler = (ctx: CommandContext) => CommandAnswer | Promise<CommandAnswer>;
export type EventHandler<E extends WebhookEventName> = (ctx: EventContext<E>) => void | Promise<void>;
export type GlanceProvider = (ctx: GlanceContext) => GlanceContent | Promise<GlanceContent>;
export type EventHandlers = { [E in WebhookEventName]?: EventHandler<E> };

/** A room_message webhook with a pattern of the module's own (commands are the usual case of this). */
export interface MessagePattern {
  /** The webhook's key in the descriptor (1–40 of A–Z a–z 0–9 _ . -). */
  key: string;
  pattern: string;
  handler: CommandHandler;
}

/** What a module's setup returns: its handlers, routes and background work, built on the core's services. */
export interface ModuleParts {
  /** By slash command: `{ '/task': handler }`. Also run in token-connected rooms (build-your-own command). */
  commands?: Record<string, CommandHandler>;
  /** Room messages matching a pattern of the module's own. */
  patterns?: MessagePattern[];
  /** Any of HipChat's ten webhook events. */
  events?: EventHandlers;
  /** By glance key: the content HipChat asks for (GET queryUrl, JWT-verified, CORS for HipChat). */
  glances?: Record<string, GlanceProvider>;
  /** Pages and JSON routes, mounted after the JSON and form body parsers. */
  routes?: Router;
  /** Routes that read their own bodies (own size limits): mounted before the body parsers. */
  rawRoutes?: Router;
  /** Path prefixes anyone can reach without a JWT: they get the per-IP public rate limit. */
  publicPaths?: string[];
  background?: BackgroundTask[];
}

/** An add-on module: what it contributes to the descriptor, its migrations, and its setup. */
export interface AddonModule {
  /** Unique among the modules of one add-on (1–40 of a–z 0–9 -). */
  key: string;
  descriptor?: ModuleDescriptor;
  migrations?: ModuleMigrations;
  /**
   * Columns of the module's tables holding values sealed with `core.secrets.seal` (and the columns that
   * identify a row): at start, the core seals those still in plain text or under ENCRYPTION_KEY_PREVIOUS
   * with ENCRYPTION_KEY, as it does its own.
   */
  sealedColumns?: SealedColumn[];
  setup?(core: ModuleServices): ModuleParts | Promise<ModuleParts>;
}

const MODULE_KEY = /^[a-z0-9-]{1,40}$/;
/** Sealed columns' names go into SQL as they are: plain lower-case identifiers only. */
const SQL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Declares a module; checks what can be checked without the others (its key, its sealed columns' names). */
export function defineModule<M extends AddonModule>(module: M): M {
  if (!MODULE_KEY.test(module.key)) {
    throw new Error(`Module key "${module.key}" must be 1–40 characters of a–z, 0–9 or "-"`);
  }
  for (const { table, column, key } of module.sealedColumns ?? []) {
    if (key.length === 0 || ![table, column, ...key].every((name) => SQL_NAME.test(name))) {
      throw new Error(
        `Module "${module.key}" declares the sealed column "${table}.${column}" (key: ${key.join(', ') || 'none'}): names must be lower-case SQL names, with at least one key column`,
      );
    }
  }
  return module;
}
