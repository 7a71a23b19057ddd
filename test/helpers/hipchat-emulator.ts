import crypto from 'node:crypto';
import http from 'node:http';
import {
  startEmulator,
  type Emulator,
  type EmulatorFaults,
  type EmulatorOptions,
  type FaultHeaders,
  type Installation,
  type RecordedRequest,
  type Scope,
} from '../../src/emulator';

/** An OAuth client as HipChat issues one per installation. */
export interface HipChatClient {
  oauthId: string;
  oauthSecret: string;
  groupId: number;
}

export interface ClientOptions {
  oauthId?: string;
  oauthSecret?: string;
  /** Default: a new group per client; `hipchat.groupId` (the emulator's group) to call the REST API on its rooms. */
  groupId?: number;
  roomId?: number;
  scopes?: Scope[];
  /** Glance keys the installation's descriptor declares (the emulator accepts pushed updates only for those). */
  glances?: string[];
}

const EVERY_SCOPE: Scope[] = ['admin_group', 'admin_room', 'import_data', 'manage_rooms', 'send_message', 'send_notification', 'view_group', 'view_messages', 'view_room'];
/** Limits no test reaches unless it sets its own (HipChat's defaults would throttle the load tests). */
const UNLIMITED = { rateLimit: { limit: 1_000_000, windowMs: 300_000 }, floodControl: { limit: 1_000_000, windowMs: 60_000 } };
let nextGroupId = 1000;

/**
 * The one HipChat double of this project's tests: the emulator on loopback, and the few things tests do
 * to a HipChat outside its install flow (an OAuth client issued without calling the add-on, a rotated
 * secret, a revoked client, an installable_url document). Failures, slow answers and odd documents are
 * the emulator's fault injection (`faults`); what HipChat received is its request log.
 */
export class EmulatedHipChat {
  private constructor(
    readonly emulator: Emulator,
    private readonly hostname: string | undefined,
  ) {}

  /** `hostname`: still listening on 127.0.0.1, the emulator names itself so (e.g. `localhost`, to be "another host"). */
  static async start(options: EmulatorOptions & { hostname?: string } = {}): Promise<EmulatedHipChat> {
    const { hostname, ...emulatorOptions } = options;
    const emulator = await startEmulator({ ...emulatorOptions, limits: { ...UNLIMITED, ...options.limits } });
    const hipchat = new EmulatedHipChat(emulator, hostname);
    hipchat.reset();
    return hipchat;
  }

  get url(): string {
    return this.hostname ? this.emulator.url.replace('127.0.0.1', this.hostname) : this.emulator.url;
  }
  get capabilitiesUrl(): string {
    return `${this.url}/v2/capabilities`;
  }
  get tokenUrl(): string {
    return `${this.url}/v2/oauth/token`;
  }
  get apiUrl(): string {
    return `${this.url}/v2/`;
  }
  /** The emulator's own group, where its rooms and users are. */
  get groupId(): number {
    return this.emulator.defaultGroup.id;
  }
  get faults(): EmulatorFaults {
    return this.emulator.faults;
  }

  /** Removes every fault and override (keeping the host name it was started under). */
  reset(): void {
    this.faults.clear();
    if (this.hostname) {
      this.faults.overrideCapabilities({ self: this.capabilitiesUrl, tokenUrl: this.tokenUrl, apiUrl: this.apiUrl, homepage: this.url });
    }
  }

  /** A new OAuth client, registered as an installation without calling any add-on. */
  addClient(options: ClientOptions = {}): HipChatClient {
    const client = {
      oauthId: options.oauthId ?? crypto.randomUUID(),
      oauthSecret: options.oauthSecret ?? crypto.randomBytes(20).toString('hex'),
      groupId: options.groupId ?? nextGroupId++,
    };
    const glance = (options.glances ?? []).map((key) => ({ key, name: { value: key }, queryUrl: 'http://127.0.0.1:9/glance' }));
    const installation: Installation = {
      ...client,
      ...(options.roomId !== undefined ? { roomId: options.roomId } : {}),
      descriptorUrl: 'http://127.0.0.1:9/descriptor',
      descriptor: { key: 'test-addon', name: 'Test add-on', description: 'Registered by a test', links: { self: 'http://127.0.0.1:9/descriptor' }, capabilities: { glance } } as Installation['descriptor'],
      scopes: options.scopes ?? EVERY_SCOPE,
      addonKey: 'test-addon',
      addonName: 'Test add-on',
      installedAt: new Date().toISOString(),
      active: true,
    };
    this.emulator.state.addInstallation(installation);
    return client;
  }

  /** Re-install: HipChat issues a new secret for the same oauthId; the old one stops working. */
  rotateSecret(oauthId: string, secret = crypto.randomBytes(20).toString('hex')): HipChatClient {
    const installation = this.emulator.installation(oauthId);
    if (!installation) throw new Error(`no client ${oauthId}`);
    installation.oauthSecret = secret;
    return { oauthId, oauthSecret: installation.oauthSecret, groupId: installation.groupId };
  }

  /** Uninstall as HipChat did it: the client is removed, so its token requests and its tokens are refused. */
  revoke(oauthId: string): void {
    this.emulator.state.removeInstallation(oauthId);
  }

  /** The body HipChat POSTs to the add-on's callbackUrl. */
  installBody(client: HipChatClient, roomId?: number): Record<string, unknown> {
    return {
      oauthId: client.oauthId,
      oauthSecret: client.oauthSecret,
      capabilitiesUrl: this.capabilitiesUrl,
      groupId: client.groupId,
      ...(roomId !== undefined ? { roomId } : {}),
    };
  }

  /** A one-time installable_url document for the browser flow: answered once (a canned answer), then 404. */
  publishInstallable(document: unknown): string {
    const path = `/_installable/${crypto.randomBytes(12).toString('hex')}`;
    this.faults.add({ target: 'all', match: { method: 'GET', path }, times: 1, fault: { kind: 'status', status: 200, body: document } });
    return `${this.url}${path}`;
  }

  wasFetched(installableUrl: string): boolean {
    const path = new URL(installableUrl).pathname;
    return !this.faults.list().some((rule) => rule.match?.path === path);
  }

  /** The next `count` REST API calls are answered `status` with HipChat's error body (and these headers). */
  failNext(count: number, status: number, message = 'Emulated failure', headers: FaultHeaders = {}): void {
    this.faults.add({ target: 'api', times: count, fault: { kind: 'status', status, body: { error: { code: status, message, type: http.STATUS_CODES[status] ?? 'Error' } }, headers } });
  }

  requests(): Array<Readonly<RecordedRequest>> {
    return this.emulator.requests();
  }

  /** Token requests presented with this client id, whatever HipChat answered. */
  tokenRequests(oauthId?: string): Array<Readonly<RecordedRequest>> {
    return this.requests().filter((r) => r.target === 'token' && (oauthId === undefined || r.oauthId === oauthId));
  }

  tokenRequestsFor(oauthId: string): number {
    return this.tokenRequests(oauthId).length;
  }

  /** REST calls that changed something and that the emulator itself accepted (2xx, no fault), oldest first: what reached the rooms. */
  received(): Array<Readonly<RecordedRequest>> {
    const answered = (r: Readonly<RecordedRequest>) => r.fault === undefined || r.fault === 'delay';
    return this.requests().filter((r) => r.target === 'api' && r.method !== 'GET' && answered(r) && r.status >= 200 && r.status < 300);
  }

  /** REST API requests that reached HipChat, whatever they were answered (counted on arrival). */
  get apiRequests(): number {
    return this.requests().filter((r) => r.target === 'api').length;
  }

  /** 429s the emulator's own rate limits answered (not those of failNext). */
  get tooManyRequests(): number {
    return this.emulator.stats().rateLimited;
  }

  bodiesForRoom(roomId: number): unknown[] {
    return this.received().filter((r) => r.roomId === roomId).map((r) => r.body);
  }

  /** Creates the rooms (by id, in the emulator's group) that a test names by number. */
  ensureRooms(...ids: number[]): void {
    for (const id of ids) if (!this.emulator.room(id)) this.emulator.state.createRoom({ id, name: `Room ${id}` });
  }

  /**
   * A user with this id, made a group admin or named as asked. The emulator numbers users from 1000 up,
   * so missing ids below it are filled with bystanders named like HipChat's defaults (`User {id}`).
   */
  ensureUser(id: number, options: { name?: string; isGroupAdmin?: boolean } = {}): void {
    while (!this.emulator.state.users.has(id)) {
      const created = this.emulator.createUser(`User ${1000 + this.emulator.users().length}`);
      if (created.id > id) throw new Error(`user ${id} cannot be created (the emulator is at ${created.id})`);
    }
    const user = this.emulator.state.requireUser(id);
    if (options.name !== undefined) user.name = options.name;
    if (options.isGroupAdmin !== undefined) this.emulator.setGroupAdmin(id, options.isGroupAdmin);
  }

  /** HipChat goes down: connections are refused until goOnline (same port). */
  goOffline(): Promise<void> {
    return this.emulator.goOffline();
  }

  goOnline(): Promise<void> {
    return this.emulator.goOnline();
  }

  close(): Promise<void> {
    return this.emulator.close();
  }
}
