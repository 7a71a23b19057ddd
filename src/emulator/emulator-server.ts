import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The emulator's HTTP server life cycle, knowing nothing of HipChat: listen (port 0 picks a free one),
 * go offline (refuse connections, drop open ones) and online again on the same port, close.
 */
export class EmulatorServer {
  private readonly server: http.Server;
  private boundPort = 0;
  private online = false;

  constructor(
    listener: http.RequestListener,
    private readonly options: { port?: number; host?: string } = {},
  ) {
    this.server = http.createServer(listener);
    // Node's default. At 1 s, Node's own clients never reuse a connection (they keep a 1 s margin
    // below the server's Keep-Alive timeout), so every call to the emulator paid for a new one.
    this.server.keepAliveTimeout = 5000;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get port(): number {
    return this.boundPort;
  }

  /** http://host:port, no trailing slash (IPv6 hosts in brackets). */
  get origin(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.boundPort}`;
  }

  get isOnline(): boolean {
    return this.online;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.boundPort || this.options.port || 0, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
    this.online = true;
  }

  /** Stops listening: new connections are refused and open ones dropped. */
  async goOffline(): Promise<void> {
    if (!this.online) return;
    this.online = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port. */
  async goOnline(): Promise<void> {
    if (this.online) return;
    await this.listen();
  }
}
