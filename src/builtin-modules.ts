import { tasksModule } from './addon/tasks-module';
import type { Config } from './config';
import { gatewayModule } from './gateway/gateway-module';
import type { AddonModule } from './hipchat/modules/addon-module';

/** What `npm start` runs: the gateway and Tasks, their options mapped from Config. */
export function builtinModules(config: Config): AddonModule[] {
  return [gatewayModule({ hookRateLimit: config.hookRateLimit, adminToken: config.adminToken }), tasksModule()];
}
