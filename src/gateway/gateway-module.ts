import path from 'node:path';
import { Router } from 'express';
import { defineModule, type AddonModule } from '../hipchat/modules/addon-module';
import type { RateLimit } from '../shared/rate-limit';
import { Gateway } from './gateway';
import { connectPageRoutes } from './http/connect-page-routes';
import { gatewayApiRoutes } from './http/gateway-api-routes';
import { incomingRoutes } from './http/incoming-routes';

export interface GatewayModuleOptions {
  /** Per hook: how many posts per window (HOOK_RATE_LIMIT). */
  hookRateLimit: RateLimit;
  /** ADMIN_TOKEN: lets the server's admin connect rooms on /connect; unset = only configuration pages can. */
  adminToken: string | undefined;
}

/**
 * The gateway as a module: rooms connected with a notification token (delivered through the outbox
 * as `room_token` targets), incoming hooks, and the build-your-own slash command, which runs every
 * module's commands. Its tables are in its own migrations folder; the room tokens are sealed at rest.
 */
export function gatewayModule(options: GatewayModuleOptions): AddonModule {
  return defineModule({
    key: 'gateway',
    migrations: {
      dir: path.join(__dirname, 'migrations'),
      // Before the gateway had its own folder, its tables were the core's 004: such databases keep them.
      // 002 (api_host of connections' deliveries, once the end of core 007) is safe to run anywhere.
      formerVersions: { '001_gateway': '004_gateway' },
    },
    sealedColumns: [{ table: 'gateway_connections', column: 'room_token', key: ['id'] }],
    setup(core) {
      const gateway = new Gateway({
        db: core.db,
        secrets: core.secrets,
        http: core.http,
        logger: core.logger,
        notifications: core.notifications,
        baseUrl: core.baseUrl,
        allowedHosts: core.allowedHosts,
        hookRateLimit: options.hookRateLimit,
        adminToken: options.adminToken,
        addonName: core.addonName,
        replay: core.replay,
        roomAdmins: core.roomAdmins,
        commands: core.commands,
      });
      core.credentialProviders.room_token = gateway.credentialProvider;
      const routes = Router();
      routes.use(gatewayApiRoutes(gateway, core.jwt));
      routes.use(connectPageRoutes({ adminEnabled: options.adminToken !== undefined }));
      return {
        // Hooks and BYO commands read their own bodies with a 64 KB limit.
        rawRoutes: incomingRoutes(gateway),
        routes,
        publicPaths: ['/connect', '/api/connections', '/hooks', '/byo'],
      };
    },
  });
}
