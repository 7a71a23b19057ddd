import type { EmulatorContext } from './emulator-context';
import { createEmulatorContext, type EmulatorContextOptions } from './create-emulator-context';
import type { EmulatorState } from './model/emulator-state';
import { seedEmulatorState, type EmulatorSeed } from './model/seed-emulator-state';
import type { BuildYourOwnIntegration, Group, HistoryItem, Installation, Limits, Room, Scope, Stats, StoredGlance, User } from './model/types';
import { createIntegration, type IntegrationOptions } from './driver/create-integration';
import { installAddon, sendUninstallNotice, uninstallInstallation, updateInstallation, type InstallOptions, type UninstallResult } from './driver/installer';
import type { WebhookResult } from './driver/dispatch-webhooks';
import { postRoomMessage, type PostMessageResult } from './driver/post-room-message';
import { sendRoomEvent } from './driver/send-room-event';
import { queryGlance } from './driver/query-glance';
import { buildSignedUrl, type SignedUrlRequest } from './driver/build-signed-url';
import { mintInstallationJwt, type JwtClaimsRequest } from './driver/mint-installation-jwt';
import { issueAccessToken } from './driver/issue-access-token';
import { createRoomWithEvent, deleteRoomWithEvent, setRoomArchived, type CreatedRoom, type DeletedRoom } from './driver/room-events';
import { uploadFile, type FileUpload, type UploadResult } from './driver/upload-file';
import { sendNotification, type SentNotification } from './driver/send-notification';
import { emulatorExtras } from './model/emulator-extras';
import type { PrivateMessage, StoredUserGlance } from './model/types';

export interface EmulatorCoreOptions extends Omit<EmulatorContextOptions, 'groupName'> {
  seed?: EmulatorSeed;
}

/**
 * HipChat without HTTP: the model (group, rooms, users, installations, history, glances, tokens, limits)
 * and the drivers that act on it (install, post as a user, query glances, sign URLs). The Emulator
 * exposes it over HTTP; calls to add-ons (install callbacks, webhooks, glances) still go out over HTTP.
 */
export class EmulatorCore {
  readonly state: EmulatorState;
  protected readonly ctx: EmulatorContext;

  constructor(options: EmulatorCoreOptions = {}) {
    const { seed, ...contextOptions } = options;
    this.ctx = createEmulatorContext({ ...contextOptions, ...(seed?.groupName !== undefined ? { groupName: seed.groupName } : {}) }, () => this.url);
    this.state = this.ctx.state;
    seedEmulatorState(this.state, seed);
  }

  /** Where HipChat lives (no trailing slash): the server's URL once an Emulator listens. */
  get url(): string {
    return 'http://emulator.invalid';
  }

  get defaultGroup(): Group {
    return this.state.defaultGroup;
  }

  /** Subscribe to model events ('history', 'glance', 'room', 'user', 'installation'). */
  get events(): EmulatorState {
    return this.state;
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
    Object.assign(this.ctx.stats, { tokenRequests: {}, apiRequests: 0, rateLimited: 0, userLookups: 0, roomLookups: 0 });
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
  postMessage(roomId: number, userId: number, text: string): Promise<PostMessageResult> {
    return postRoomMessage(this.ctx, roomId, userId, text);
  }

  enterRoom(roomId: number, userId: number): Promise<WebhookResult[]> {
    return sendRoomEvent(this.ctx, { event: 'room_enter', roomId, userId });
  }

  exitRoom(roomId: number, userId: number): Promise<WebhookResult[]> {
    return sendRoomEvent(this.ctx, { event: 'room_exit', roomId, userId });
  }

  setTopic(roomId: number, userId: number, topic: string): Promise<WebhookResult[]> {
    return sendRoomEvent(this.ctx, { event: 'room_topic_change', roomId, userId, topic });
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
  mintJwt(oauthId: string, claims: JwtClaimsRequest): string {
    return mintInstallationJwt(this.ctx, oauthId, claims);
  }

  /** An access token without the HTTP round trip (does not count as a token request). */
  createAccessToken(oauthId: string, scopes?: Scope[]): string {
    return issueAccessToken(this.ctx, oauthId, scopes);
  }

  /** Every access token the emulator has issued (OAuth, room and integration tokens). */
  issuedTokens(): string[] {
    return this.ctx.tokens.issuedValues();
  }

  /** A room notification token (send_notification, that room only, about a year). */
  createRoomNotificationToken(roomId: number, label = 'Room notification token'): string {
    return this.createBuildYourOwnIntegration(roomId, { name: label }).token;
  }

  /** A build-your-own integration: a notification URL and, optionally, a slash command posted to `url`. */
  createBuildYourOwnIntegration(roomId: number, options: IntegrationOptions = {}): BuildYourOwnIntegration {
    return createIntegration(this.ctx, roomId, options);
  }

  // ---- room events, files, notifications and private chats (driver/room-events.ts and friends) ----

  /** Creates a room as `userId` (its owner) and sends room_created to global installations. */
  createRoomWithEvent(input: { name: string; topic?: string; privacy?: 'public' | 'private'; ownerId?: number | null }, userId?: number): Promise<CreatedRoom> {
    return createRoomWithEvent(this.ctx, input, userId);
  }

  /** Deletes a room: room_deleted to global installations, the room's own installations uninstalled. */
  deleteRoom(roomId: number, userId?: number): Promise<DeletedRoom> {
    return deleteRoomWithEvent(this.ctx, roomId, userId);
  }

  /** Archives a room (room_archived); it then refuses messages, notifications and topic changes. */
  archiveRoom(roomId: number, userId?: number): Promise<WebhookResult[]> {
    return setRoomArchived(this.ctx, roomId, true, userId);
  }

  unarchiveRoom(roomId: number, userId?: number): Promise<WebhookResult[]> {
    return setRoomArchived(this.ctx, roomId, false, userId);
  }

  /** A user shares a file in a room (room_file_upload). */
  uploadFile(roomId: number, userId: number, upload: FileUpload): Promise<UploadResult> {
    return uploadFile(this.ctx, roomId, userId, upload);
  }

  /** A notification from `label` (no installation): room_notification goes to every installation in the room. */
  sendNotification(roomId: number, body: Record<string, unknown>, label?: string): Promise<SentNotification> {
    return sendNotification(this.ctx, roomId, body, label);
  }

  /** A user's private chat: what add-ons sent with POST /v2/user/{id_or_email}/message. */
  privateChat(userId: number): PrivateMessage[] {
    return emulatorExtras(this.state).privateChat(userId);
  }

  /** A glance value pushed for one user (POST /v2/addon/ui/user/{user_id}). */
  userGlance(oauthId: string, userId: number, glanceKey: string): StoredUserGlance | undefined {
    return emulatorExtras(this.state).getUserGlance(oauthId, userId, glanceKey);
  }
}
