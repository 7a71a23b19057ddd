// The package's core entry point (`hipchat-connect-server`): what an add-on author builds on.
// Everything not exported here, from `./emulator` or from `./testing` is private to the package.
// Nothing runs at import.

export { startAddon, type RunningAddon } from './runtime';
export { loadConfig, ConfigError, type Config } from './config';
export { createLogger, type Logger } from './shared/logger';

// The module contract (how an add-on plugs its commands, webhooks, pages and glances into the server)
// is exported here as well; see README › Architecture.
