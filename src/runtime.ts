import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import type { Config } from './config';
import { createServices, type Services } from './services';
import { createLogger, type Logger } from './shared/logger';
import { openDb } from './store/open-db';
import { sealStoredSecrets } from './store/seal-stored-secrets';

export interface RunningAddon {
  /** The URL it listens on (http://127.0.0.1:PORT). */
  url: string;
  port: number;
  services: Services;
  stop(): Promise<void>;
}

/** Opens the database, builds the app, listens and starts background work. Nothing runs at import. */
export async function startAddon(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningAddon> {
  const db = await openDb(config, logger);
  let services: Services;
  try {
    services = createServices(config, db, logger);
    const resealed = await sealStoredSecrets(db, services.secrets);
    if (Object.keys(resealed).length > 0) logger.info({ resealed }, 'stored secrets sealed with ENCRYPTION_KEY');
  } catch (error) {
    await db.close();
    throw error;
  }
  const server = http.createServer(createApp(services));
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
  logger.info({ port, baseUrl: config.baseUrl, database: db.kind }, 'add-on listening');

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= shutdown(server, services));
  return { url: `http://127.0.0.1:${port}`, port, services, stop };
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
