import type http from 'node:http';
import type { EmulatorContext } from './emulator-context';
import { EmulatorCore, type EmulatorCoreOptions } from './emulator-core';
import { EmulatorServer } from './emulator-server';
import { normalisePathPrefix } from './normalise-path-prefix';
import { EmulatorFaults } from './faults/emulator-faults';
import type { RecordedRequest } from './faults/request-log';

export type { PostMessageResult } from './driver/post-room-message';

export interface EmulatorOptions extends EmulatorCoreOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /**
   * Serve everything under this path, as a HipChat Server behind a proxy might
   * (`/hipchat` → `http://host:port/hipchat/v2/capabilities`); default none, as HipChat Cloud.
   */
  pathPrefix?: string;
}

/** Builds the emulator's HTTP surface; startEmulator passes it in so the class and its app do not import each other. */
export type EmulatorAppFactory = (ctx: EmulatorContext, emulator: Emulator) => http.RequestListener;

/** A running HipChat emulator: the model and drivers of EmulatorCore, served over HTTP. Create it with startEmulator(). */
export class Emulator extends EmulatorCore {
  /** '' or a path such as '/hipchat' (leading slash, no trailing one). */
  readonly pathPrefix: string;
  private readonly server: EmulatorServer;

  constructor(options: EmulatorOptions, createApp: EmulatorAppFactory) {
    const { port, host, pathPrefix, ...coreOptions } = options;
    super(coreOptions);
    this.pathPrefix = normalisePathPrefix(pathPrefix);
    this.server = new EmulatorServer(createApp(this.ctx, this), { ...(port !== undefined ? { port } : {}), ...(host !== undefined ? { host } : {}) });
  }

  /** Base URL, e.g. http://127.0.0.1:4000 or, with a path prefix, http://127.0.0.1:4000/hipchat (no trailing slash). */
  override get url(): string {
    return `${this.server.origin}${this.pathPrefix}`;
  }

  get capabilitiesUrl(): string {
    return `${this.url}/v2/capabilities`;
  }

  get port(): number {
    return this.server.port;
  }

  listen(): Promise<void> {
    return this.server.listen();
  }

  /** Stops listening: new connections are refused and open ones dropped. */
  goOffline(): Promise<void> {
    return this.server.goOffline();
  }

  /** Listens again on the same port. */
  goOnline(): Promise<void> {
    return this.server.goOnline();
  }

  get isOnline(): boolean {
    return this.server.isOnline;
  }

  async close(): Promise<void> {
    await this.goOffline();
    this.state.removeAllListeners();
  }

  private faultState: EmulatorFaults | undefined;

  /** Fault injection (HipChat down, 429s, slow or odd answers) and answer overrides; see faults/emulator-faults.ts. */
  get faults(): EmulatorFaults {
    return (this.faultState ??= new EmulatorFaults());
  }

  /** Every request to HipChat's /v2 endpoints (capabilities, token, REST API), oldest first. */
  requests(): Array<Readonly<RecordedRequest>> {
    return this.faults.log.list();
  }

  clearRequests(): void {
    this.faults.log.clear();
  }
}
