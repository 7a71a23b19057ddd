import type { Router } from 'express';
import type { BackgroundTask } from '../../shared/background-task';
import type { SealedColumn } from '../../store/seal-stored-secrets';
import type { ModuleMigrationSet } from '../../store/module-migrations';
import { WEBHOOK_EVENTS, type WebhookEventName } from '../events/webhook-events';
import type { AddonModule, DescriptorEntry, EventHandler, GlanceProvider, ModuleDescriptor, ModuleParts } from './addon-module';
import type { CommandRegistry, RegisteredCommand } from './command-registry';
import type { ModuleServices } from './module-services';

/** A room_message webhook the listener serves: a command or a module's pattern. */
export interface CommandRoute {
  path: string;
  entry: RegisteredCommand;
}

export interface GlanceRoute {
  module: string;
  key: string;
  path: string;
  provider: GlanceProvider;
}

export type EventHandlerTable = Map<WebhookEventName, Array<{ module: string; handler: EventHandler<WebhookEventName> }>>;

/** Everything the modules contribute, put together and checked. */
export interface AssembledModules {
  /** capabilities.* the modules add (webhook, glance, webPanel, …), relative URLs. */
  capabilities: Record<string, unknown>;
  commandRoutes: CommandRoute[];
  events: EventHandlerTable;
  glances: GlanceRoute[];
  routes: Router[];
  rawRoutes: Router[];
  publicPaths: string[];
  background: BackgroundTask[];
  /** Each module's migrations, in the order they run (readiness reports any not applied). */
  migrations: ModuleMigrationSet[];
}

/** Where the listener receives an event's webhook (one per event, whatever the number of modules). */
export const eventWebhookPath = (event: WebhookEventName): string => `/webhooks/events/${event}`;

/** Module keys are distinct, or start-up stops (the first duplicate named). */
export function assertDistinctModules(modules: readonly AddonModule[]): void {
  const seen = new Set<string>();
  for (const module of modules) {
    if (seen.has(module.key)) throw new Error(`Two modules have the key "${module.key}"`);
    seen.add(module.key);
  }
}

/** Each module's migration folder under its key, in the modules' order (the order they run in). */
export function moduleMigrationSets(modules: readonly AddonModule[]): ModuleMigrationSet[] {
  return modules.flatMap((module) => (module.migrations ? [{ module: module.key, ...module.migrations }] : []));
}

/** The columns every module seals, after one another. */
export function moduleSealedColumns(modules: readonly AddonModule[]): SealedColumn[] {
  return modules.flatMap((module) => module.sealedColumns ?? []);
}

/** The scopes of every module, with the base's, each once, sorted (the order HipChat shows them in is not ours to choose). */
export function moduleScopes(base: readonly string[], modules: readonly AddonModule[]): string[] {
  return [...new Set([...base, ...modules.flatMap((module) => module.descriptor?.scopes ?? [])])].sort();
}

/**
 * Runs each module's setup with the core's services and puts the results together: commands into the
 * registry, one webhook per command, pattern and handled event, glances, pages and background work.
 * A duplicate command, two handlers claiming one pattern, or two entries with one key stop start-up.
 */
export async function assembleModules(
  modules: readonly AddonModule[],
  coreFor: (module: AddonModule) => ModuleServices,
  registry: CommandRegistry,
): Promise<AssembledModules> {
  assertDistinctModules(modules);
  const out: AssembledModules = { capabilities: {}, commandRoutes: [], events: new Map(), glances: [], routes: [], rawRoutes: [], publicPaths: [], background: [], migrations: moduleMigrationSets(modules) };
  const webhooks: Array<Record<string, unknown>> = [];
  const patterns = new Map<string, string>();
  const claim = (pattern: string, owner: string) => {
    const taken = patterns.get(pattern);
    if (taken) throw new Error(`Two handlers claim the pattern ${pattern}: ${taken} and ${owner}`);
    patterns.set(pattern, owner);
  };
  for (const module of modules) {
    const parts: ModuleParts = (await module.setup?.(coreFor(module))) ?? {};
    for (const [command, handler] of Object.entries(parts.commands ?? {})) {
      const name = commandName(command, module.key);
      registry.register({ module: module.key, command, handler });
      const pattern = `^${command.replace(/[.]/g, '\\.')}(\\s|$)`;
      claim(pattern, `module "${module.key}" (${command})`);
      const path = `/webhooks/${name}`;
      webhooks.push({ key: `${name}-command`, name: `${command} command`, event: 'room_message', pattern, url: path, authentication: 'jwt' });
      out.commandRoutes.push({ path, entry: { module: module.key, command, handler } });
    }
    for (const { key, pattern, handler } of parts.patterns ?? []) {
      claim(pattern, `module "${module.key}" (${key})`);
      const path = `/webhooks/${module.key}/${key}`;
      webhooks.push({ key, event: 'room_message', pattern, url: path, authentication: 'jwt' });
      out.commandRoutes.push({ path, entry: { module: module.key, command: key, handler } });
    }
    for (const event of WEBHOOK_EVENTS) {
      const handler = parts.events?.[event] as EventHandler<WebhookEventName> | undefined;
      if (!handler) continue;
      const list = out.events.get(event) ?? [];
      if (list.length === 0) out.events.set(event, list);
      list.push({ module: module.key, handler });
    }
    for (const [key, provider] of Object.entries(parts.glances ?? {})) {
      out.glances.push({ module: module.key, key, path: glancePath(module.descriptor, key), provider });
    }
    if (parts.routes) out.routes.push(parts.routes);
    if (parts.rawRoutes) out.rawRoutes.push(parts.rawRoutes);
    out.publicPaths.push(...(parts.publicPaths ?? []));
    out.background.push(...(parts.background ?? []));
  }
  for (const event of out.events.keys()) {
    webhooks.push({ key: `event.${event}`, name: event, event, url: eventWebhookPath(event), authentication: 'jwt' });
  }
  out.capabilities = descriptorCapabilities(modules, webhooks, out.glances);
  return out;
}

function commandName(command: string, module: string): string {
  const match = /^\/([a-z0-9_-]{1,30})$/i.exec(command);
  if (!match?.[1]) throw new Error(`Module "${module}": a command is "/" and 1–30 of A–Z, a–z, 0–9, "_" or "-" (got "${command}")`);
  return match[1];
}

/** A glance the module declares with its own queryUrl keeps it; otherwise the core serves /glance/<key>. */
function glancePath(descriptor: ModuleDescriptor | undefined, key: string): string {
  const declared = descriptor?.glances?.find((glance) => glance.key === key)?.queryUrl;
  return typeof declared === 'string' && declared.startsWith('/') ? declared : `/glance/${key}`;
}

const LISTS = [
  ['glances', 'glance'],
  ['webPanels', 'webPanel'],
  ['dialogs', 'dialog'],
  ['actions', 'action'],
  ['externalPages', 'externalPage'],
] as const;

function descriptorCapabilities(modules: readonly AddonModule[], webhooks: Array<Record<string, unknown>>, glances: GlanceRoute[]): Record<string, unknown> {
  const capabilities: Record<string, unknown> = {};
  if (webhooks.length > 0) capabilities.webhook = distinctKeys('webhook', webhooks.map((hook) => ({ ...hook, key: String(hook.key) })));
  for (const [field, capability] of LISTS) {
    const entries: DescriptorEntry[] = modules.flatMap((module) => module.descriptor?.[field] ?? []);
    if (entries.length === 0) continue;
    const withUrls = capability === 'glance' ? entries.map((glance) => withQueryUrl(glance, glances)) : entries;
    capabilities[capability] = distinctKeys(capability, withUrls);
  }
  for (const page of ['configurable', 'adminPage'] as const) {
    const owners = modules.filter((module) => module.descriptor?.[page]);
    if (owners.length > 1) throw new Error(`Modules "${owners[0]?.key}" and "${owners[1]?.key}" both declare the ${page} page (an add-on has one)`);
    if (owners[0]) capabilities[page] = owners[0].descriptor?.[page];
  }
  return capabilities;
}

function withQueryUrl(glance: DescriptorEntry, glances: GlanceRoute[]): DescriptorEntry {
  if (glance.queryUrl !== undefined) return glance;
  const served = glances.find((route) => route.key === glance.key);
  return served ? { ...glance, queryUrl: served.path } : glance;
}

function distinctKeys(capability: string, entries: DescriptorEntry[]): DescriptorEntry[] {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.key)) throw new Error(`Two ${capability} entries have the key "${entry.key}"`);
    seen.add(entry.key);
  }
  return entries;
}
