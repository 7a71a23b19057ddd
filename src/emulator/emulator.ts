import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorContext } from './emulator-context';
import { EmulatorState } from './model/emulator-state';
import { TokenStore } from './model/token-store';
import { findMentions } from './model/find-mentions';
import { createIntegration, type IntegrationOptions } from './driver/create-integration';
import { FixedWindowLimiter } from './model/fixed-window-limiter';
import { DEFAULT_LIMITS, isScope, type BuildYourOwnIntegration, type Group, type HistoryItem, type Installation, type Limits, type Room, type Scope, type Stats, type StoredGlance, type User } from './model/types';
import { installAddon, sendUninstallNotice, uninstallInstallation, updateInstallation, type InstallOptions, type UninstallResult } from './driver/installer';
import { dispatchRoomEvent, roomReference, type WebhookResult } from './driver/dispatch-webhooks';
import { queryGlance } from './driver/query-glance';
import { buildSignedUrl, type SignedUrlRequest } from './driver/build-signed-url';
import { signHipChatJwt } from './driver/sign-hipchat-jwt';
import { EmulatorFaults } from './faults/emulator-faults';
import type { RecordedRequest } from './faults/request-log';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Access token lifetime (expires_in); default 3600 s, HipChat Cloud's older documented value. */
  tokenLifetimeSeconds?: number;
  limits?: Partial<Limits>;
  /** Timeout of calls to add-ons (install, webhooks, glances); default 10 s, HipChat's was undocumented. */
  addonTimeoutMs?: number;
  seed?: {
    groupName?: string;
    /** `owner`: the mention name of a seeded user who owns the room. */
    rooms?: Array<{ name: string; topic?: string; owner?: string }>;
    users?: Array<{ name: string; mention_name?: string; is_group_admin?: boolean }>;
  };
}

export interface PostMessageResult {
  message: HistoryItem;
  webhooks: WebhookResult[];
}

/** Builds the emulator's HTTP surface; startEmulator passes it in so the class and its app do not import each other. */
export type EmulatorAppFactory = (ctx: EmulatorContext, emulator: Emulator) => http.RequestListener;

/** A running HipChat emulator. Create it with startEmulator(). */
export class Emulator {
  readonly state: EmulatorState;
  private readonly ctx: EmulatorContext;
  private readonly server: http.Server;
  private boundPort = 0;
  private online = false;

  constructor(
    private readonly options: EmulatorOptions,
    createApp: EmulatorAppFactory,
  ) {
    this.state = new EmulatorState({ id: 1, name: options.seed?.groupName ?? 'Emulated Group' });
    const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.ctx = {
      state: this.state,
      tokens: new TokenStore((token) =>
        token.oauthId !== undefined ? this.state.installations.has(token.oauthId) : token.integrationId !== undefined && this.state.integrations.has(token.integrationId),
      ),
      rateLimiter: new FixedWindowLimiter(limits.rateLimit),
      floodLimiter: new FixedWindowLimiter(limits.floodControl),
      settings: { tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600, failureMode: null, webhookTimeoutMs: options.addonTimeoutMs ?? 10_000 },
      stats: { tokenRequests: {}, apiRequests: 0, rateLimited: 0, userLookups: 0, roomLookups: 0 },
      installables: new Map(),
      baseUrl: () => this.url,
      now: () => Date.now(),
    };
    for (const room of options.seed?.rooms ?? []) this.state.createRoom({ name: room.name, ...(room.topic !== undefined ? { topic: room.topic } : {}) });
    for (const user of options.seed?.users ?? []) this.state.createUser(user);
    for (const room of options.seed?.rooms ?? []) {
      const owner = room.owner === undefined ? undefined : this.state.findUser(`@${room.owner}`);
      const created = this.state.findRoom(room.name);
      if (owner && created) this.state.setRoomOwner(created.id, owner.id);
    }
    this.server = http.createServer(createApp(this.ctx, this));
    // Node's default. At 1 s, Node's own clients never reuse a connection (they keep a 1 s margin
    // below the server's Keep-Alive timeout), so every call to the emulator paid for a new one.
    this.server.keepAliveTimeout = 5000;
  }

  /** Base URL, e.g. http://127.0.0.1:4000 (no trailing slash). */
  get url(): string {
    const host = this.options.host ?? '127.0.0.1';
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.boundPort}`;
  }

  get capabilitiesUrl(): string {
    return `${this.url}/v2/capabilities`;
  }

  get port(): number {
    return this.boundPort;
  }

  get defaultGroup(): Group {
    return this.state.defaultGroup;
  }

  /** Subscribe to model events ('history', 'glance', 'room', 'user', 'installation'). */
  get events(): EmulatorState {
    return this.state;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.boundPort || this.options.port || 0, this.options.host ?? '127.0.0.1', () => {
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

  get isOnline(): boolean {
    return this.online;
  }

  async close(): Promise<void> {
    await this.goOffline();
    this.state.removeAllListeners();
  }

  /** '503': every /v2 call (capabilities and token endpoint included) answers 503 until set back to null. */
  setFailureMode(mode: '503' | null): void {
    this.ctx.settings.failureMode = mode;
  }

  setLimits(limits: Partial<Limits>): void {
    if (limits.rateLimit) this.ctx.rateLimiter.configure(limits.rateLimit);
    if (limits.floodControl) this.ctx.floodLimiter.configure(limits.floodControl);
  }

  get limits(): Limits {
    return { rateLimit: this.ctx.rateLimiter.settings, floodControl: this.ctx.floodLimiter.settings };
  }

  setTokenLifetime(seconds: number): void {
    if (!(seconds > 0)) throw new Error('token lifetime must be positive');
    this.ctx.settings.tokenLifetimeSeconds = seconds;
  }

  stats(): Stats {
    return { ...this.ctx.stats, tokenRequests: { ...this.ctx.stats.tokenRequests } };
  }

  resetStats(): void {
    this.ctx.stats.tokenRequests = {};
    this.ctx.stats.apiRequests = 0;
    this.ctx.stats.rateLimited = 0;
    this.ctx.stats.userLookups = 0;
    this.ctx.stats.roomLookups = 0;
  }

  createRoom(input: string | { name: string; topic?: string; privacy?: 'public' | 'private'; ownerId?: number | null }): Room {
    return this.state.createRoom(typeof input === 'string' ? { name: input } : input);
  }

  createUser(input: string | { name: string; mention_name?: string; is_group_admin?: boolean }): User {
    return this.state.createUser(typeof input === 'string' ? { name: input } : input);
  }

  /** Promotes a user to group admin, or demotes them (GET /v2/user/{id} → is_group_admin). */
  setGroupAdmin(userId: number, isGroupAdmin: boolean): User {
    return this.state.setGroupAdmin(userId, isGroupAdmin);
  }

  /** Makes a user the room's owner (GET /v2/room/{id} → owner), or leaves it without one (null). */
  setRoomOwner(roomId: number, ownerId: number | null): Room {
    return this.state.setRoomOwner(roomId, ownerId);
  }

  rooms(): Room[] {
    return [...this.state.rooms.values()];
  }

  users(): User[] {
    return [...this.state.users.values()];
  }

  room(idOrName: number | string): Room | undefined {
    return this.state.findRoom(idOrName);
  }

  installations(): Installation[] {
    return [...this.state.installations.values()];
  }

  installation(oauthId: string): Installation | undefined {
    return this.state.installations.get(oauthId);
  }

  install(descriptorUrl: string, options: InstallOptions = {}): Promise<Installation> {
    return installAddon(this.ctx, descriptorUrl, options);
  }

  update(oauthId: string): Promise<Installation> {
    return updateInstallation(this.ctx, oauthId);
  }

  uninstall(oauthId: string): Promise<UninstallResult> {
    return uninstallInstallation(this.ctx, oauthId);
  }

  /** A forged uninstall: sends the DELETE (or browser flow) but keeps the client and its tokens valid. */
  async sendForgedUninstall(oauthId: string): Promise<UninstallResult> {
    const installation = this.state.installations.get(oauthId);
    if (!installation) throw new Error(`No installation ${oauthId}`);
    return sendUninstallNotice(this.ctx, installation);
  }

  /** A user posts in a room: recorded in history, then webhooks fire; resolves once every webhook answered. */
  async postMessage(roomId: number, userId: number, text: string): Promise<PostMessageResult> {
    const room = this.state.requireRoom(roomId);
    const user = this.state.requireUser(userId);
    const mentions = findMentions(text, this.state.users.values(), room.groupId);
    const message = this.state.appendHistory({
      roomId,
      type: 'message',
      from: { kind: 'user', id: user.id, name: user.name, mention_name: user.mention_name },
      message: text,
      message_format: 'text',
      notify: false,
      mentions,
    });
    const item = {
      message: { id: message.id, date: message.date, from: { id: user.id, mention_name: user.mention_name, name: user.name }, message: text, type: 'message', mentions },
      room: roomReference(this.ctx, room),
    };
    const webhooks = await dispatchRoomEvent(this.ctx, { event: 'room_message', room, userId, item, text });
    return { message, webhooks };
  }

  enterRoom(roomId: number, userId: number): Promise<WebhookResult[]> {
    return this.sendMembershipEvent('room_enter', roomId, userId);
  }

  exitRoom(roomId: number, userId: number): Promise<WebhookResult[]> {
    return this.sendMembershipEvent('room_exit', roomId, userId);
  }

  async setTopic(roomId: number, userId: number, topic: string): Promise<WebhookResult[]> {
    const user = this.state.requireUser(userId);
    const room = this.state.setTopic(roomId, topic);
    const item = { room: roomReference(this.ctx, room), sender: { id: user.id, mention_name: user.mention_name, name: user.name }, topic };
    return dispatchRoomEvent(this.ctx, { event: 'room_topic_change', room, userId, item });
  }

  history(roomId: number): HistoryItem[] {
    return this.state.history(roomId);
  }

  /** Resolves with the first history item (existing or future) matching predicate; rejects after timeoutMs. */
  waitForHistory(roomId: number, predicate: (item: HistoryItem) => boolean, timeoutMs = 5000): Promise<HistoryItem> {
    return this.state.waitForHistory(roomId, predicate, timeoutMs);
  }

  queryGlance(oauthId: string, roomId: number, userId: number, glanceKey: string): Promise<StoredGlance> {
    return queryGlance(this.ctx, oauthId, roomId, userId, glanceKey);
  }

  getGlance(oauthId: string, roomId: number, glanceKey: string): StoredGlance | undefined {
    return this.state.getGlance(oauthId, roomId, glanceKey);
  }

  signedUrl(oauthId: string, request: SignedUrlRequest): string {
    return buildSignedUrl(this.ctx, oauthId, request);
  }

  /** A JWT as HipChat.auth.withToken gave pages: HS256 with the installation's secret. */
  mintJwt(oauthId: string, claims: { userId: number; roomId?: number; issuedAt?: number; expiresInSeconds?: number }): string {
    const installation = this.state.installations.get(oauthId);
    if (!installation) throw new Error(`No installation ${oauthId}`);
    return signHipChatJwt({ issuer: oauthId, secret: installation.oauthSecret, ...claims });
  }

  /** An access token without the HTTP round trip (does not count as a token request). */
  createAccessToken(oauthId: string, scopes?: Scope[]): string {
    const installation = this.state.installations.get(oauthId);
    if (!installation) throw new Error(`No installation ${oauthId}`);
    const granted = (scopes ?? installation.scopes).filter((scope) => isScope(scope) && installation.scopes.includes(scope));
    return this.ctx.tokens.issue({
      kind: 'installation',
      oauthId,
      groupId: installation.groupId,
      ...(installation.roomId !== undefined ? { roomId: installation.roomId } : {}),
      scopes: granted,
      expiresAt: Date.now() + this.ctx.settings.tokenLifetimeSeconds * 1000,
    }).token;
  }

  /** A room notification token (send_notification, that room only, about a year). */
  /** Every access token the emulator has issued (OAuth, room and integration tokens). */
  issuedTokens(): string[] {
    return this.ctx.tokens.issuedValues();
  }

  createRoomNotificationToken(roomId: number, label = 'Room notification token'): string {
    return this.createBuildYourOwnIntegration(roomId, { name: label }).token;
  }

  /** A build-your-own integration: a notification URL and, optionally, a slash command posted to `url`. */
  createBuildYourOwnIntegration(roomId: number, options: IntegrationOptions = {}): BuildYourOwnIntegration {
    return createIntegration(this.ctx, roomId, options);
  }

  private sendMembershipEvent(event: 'room_enter' | 'room_exit', roomId: number, userId: number): Promise<WebhookResult[]> {
    const room = this.state.requireRoom(roomId);
    const user = this.state.requireUser(userId);
    const item = { room: roomReference(this.ctx, room), sender: { id: user.id, mention_name: user.mention_name, name: user.name } };
    return dispatchRoomEvent(this.ctx, { event, room, userId, item });
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
