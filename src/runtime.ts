import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { assembleAddon } from './assemble-addon';
import { builtinModules } from './builtin-modules';
import type { Config } from './config';
import { readDescriptorTemplate, templateFor, templateScopes, type AddonIdentity } from './hipchat/descriptor/compose-descriptor';
import type { Descriptor } from './hipchat/descriptor/render-descriptor';
import { createExpressServer } from './http/express-server';
import type { AddonModule } from './hipchat/modules/addon-module';
import { assertDistinctModules, moduleMigrationSets, moduleScopes, moduleSealedColumns } from './hipchat/modules/assemble-modules';
import { createServices, type Services } from './services';
import { createLogger, type Logger } from './shared/logger';
import { migrateModules } from './store/module-migrations';
import { openDb } from './store/open-db';
import { CORE_SEALED_COLUMNS, sealStoredSecrets } from './store/seal-stored-secrets';

export interface RunningAddon {
  /** The URL it listens on (http://127.0.0.1:PORT). */
  url: string;
  port: number;
  services: Services;
  /** The descriptor the modules composed (served at /atlassian-connect.json). */
  descriptor: Descriptor;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** The add-on's modules; unset = the built-in ones (the gateway and Tasks). */
  modules?: readonly AddonModule[];
  /** Who the add-on is; unset = atlassian-connect.json at the project root. */
  addon?: AddonIdentity;
}

/**
 * Opens the database, applies the core's and each module's migrations, runs the modules' setup on the
 * core's services, builds the app, listens and starts background work. Nothing runs at import.
 */
export async function startAddon(config: Config, options: StartOptions | Logger = {}): Promise<RunningAddon> {
  // Before modules, the second argument was the logger; it still may be.
  const opts: StartOptions = isLogger(options) ? { logger: options } : options;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const modules = opts.modules ?? builtinModules(config);
  assertDistinctModules(modules);
  const template = opts.addon ? templateFor(opts.addon) : readDescriptorTemplate();
  const scopes = moduleScopes(templateScopes(template), modules);
  const db = await openDb(config, logger);
  let assembled;
  try {
    const applied = await migrateModules(db, moduleMigrationSets(modules));
    if (applied.length > 0) logger.info({ applied }, 'module migrations applied');
    const services = createServices(config, db, logger, { scopes });
    const resealed = await sealStoredSecrets(db, services.secrets, [...CORE_SEALED_COLUMNS, ...moduleSealedColumns(modules)]);
    if (Object.keys(resealed).length > 0) logger.info({ resealed }, 'stored secrets sealed with ENCRYPTION_KEY');
    assembled = await assembleAddon(config, services, modules, template, scopes);
  } catch (error) {
    await db.close();
    throw error;
  }
  const { services } = assembled;
  const server = createExpressServer(createApp(assembled));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, resolve);
    });
  } catch (error) {
    await db.close(); // e.g. the port is taken: leave nothing open behind the error
    throw error;
  }
  for (const task of services.background) await task.start();
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, baseUrl: config.baseUrl, database: db.kind, modules: modules.map((m) => m.key) }, 'add-on listening');

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= shutdown(server, services));
  return { url: `http://127.0.0.1:${port}`, port, services, descriptor: assembled.descriptor, stop };
}

function isLogger(value: StartOptions | Logger): value is Logger {
  return typeof (value as Logger).info === 'function' && typeof (value as Logger).child === 'function';
}

/** Stops accepting, lets in-flight requests finish (bounded), stops background work, closes the database. */
async function shutdown(server: http.Server, services: Services): Promise<void> {
  const { logger, config } = services;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
  await Promise.all([closed, ...services.background.map((task) => task.stop())]);
  clearTimeout(deadline);
  await services.db.close();
  logger.info('add-on stopped');
}
