import type { Config } from './config';
import { composeDescriptor, type DescriptorTemplate } from './hipchat/descriptor/compose-descriptor';
import type { Descriptor } from './hipchat/descriptor/render-descriptor';
import { HipChatApi } from './hipchat/api/hipchat-api';
import type { Installation } from './hipchat/installations/installation';
import type { AddonModule } from './hipchat/modules/addon-module';
import { assembleModules, type AssembledModules } from './hipchat/modules/assemble-modules';
import { CommandRegistry } from './hipchat/modules/command-registry';
import { STATE_CLAIMS } from './hipchat/modules/confirm-room-event';
import { corsForHipChat } from './hipchat/modules/cors-for-hipchat';
import type { ContextDeps } from './hipchat/modules/handler-context';
import type { ModuleServices } from './hipchat/modules/module-services';
import type { Services } from './services';

/** The modules put together on the core: what createApp mounts. */
export interface AssembledAddon {
  services: Services;
  descriptor: Descriptor;
  modules: AssembledModules;
  context: ContextDeps;
  corsForHipChat: ModuleServices['corsForHipChat'];
}

/** Runs each module's setup on the core's services and composes the descriptor (validated). */
export async function assembleAddon(
  config: Config,
  services: Services,
  modules: readonly AddonModule[],
  template: DescriptorTemplate,
  scopes: string[],
): Promise<AssembledAddon> {
  const registry = new CommandRegistry();
  const api = (installation: Installation) => new HipChatApi(services.hipchat, services.tokens, installation);
  const context: ContextDeps = { db: services.db, notifications: services.notifications, api };
  registry.connect({ context, logger: services.logger });
  const cors = corsForHipChat(config.allowedHosts);
  const coreFor = (module: AddonModule): ModuleServices => ({
    logger: services.logger.child({ module: module.key }),
    db: services.db,
    baseUrl: config.baseUrl,
    allowedHosts: config.allowedHosts,
    addonName: template.name,
    jwt: services.jwt,
    replay: services.replay,
    roomAdmins: services.roomAdmins,
    notifications: services.notifications,
    credentialProviders: services.credentialProviders,
    installations: services.installations,
    secrets: services.secrets,
    http: services.http,
    hipchat: services.hipchat,
    api,
    commands: registry,
    corsForHipChat: cors,
  });
  const assembled = await assembleModules(modules, coreFor, registry);
  requireViewRoomForStateEvents(assembled, scopes);
  const descriptor = composeDescriptor(template, scopes, assembled.capabilities, config.baseUrl);
  services.background.push(...assembled.background);
  return { services, descriptor, modules: assembled, context, corsForHipChat: cors };
}

/**
 * The listener confirms room_archived/unarchived/created/deleted with HipChat (GET /v2/room/{id}) before
 * handlers run, which needs the view_room scope: without it every such event would answer 503.
 */
function requireViewRoomForStateEvents(assembled: AssembledModules, scopes: readonly string[]): void {
  const handled = Object.keys(STATE_CLAIMS).filter((event) => assembled.events.has(event as never));
  if (handled.length > 0 && !scopes.includes('view_room')) {
    throw new Error(`A module handles ${handled.join(', ')}, which HipChat must confirm: add the view_room scope to its descriptor`);
  }
}
