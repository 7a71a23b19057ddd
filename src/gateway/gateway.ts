import type { AxiosInstance } from 'axios';
import { HipChatClient } from '../hipchat/api/hipchat-client';
import type { RoomNotification } from '../hipchat/api/hipchat-messages';
import type { CommandDispatcher } from '../hipchat/modules/command-registry';
import type { ReplayGuard } from '../hipchat/replay/replay-guard';
import type { Logger } from '../shared/logger';
import { notFound } from '../shared/errors';
import type { RateLimit } from '../shared/rate-limit';
import type { Db } from '../store/db';
import type { SecretBox } from '../store/secret-box';
import { runByoCommand } from './byo/run-byo-command';
import { connectRoom, type ConnectedRoom } from './connections/connect-room';
import { ConnectionStore, type Connection } from './connections/connection-store';
import type { RoomTokenInput } from './connections/parse-room-token-input';
import { RoomTokenCredentialProvider } from './connections/room-token-credential-provider';
import { authorizeRoom, ownerOf, visibleRoom, type GatewayCaller, type RoomAdminCheck } from './gateway-caller';
import { onceForCaller, refuseReplayedCaller } from './once-for-caller';
import { HookRateLimiter } from './hooks/hook-rate-limiter';
import { HookService, type HookNotifications } from './hooks/hook-service';
import { HookStore } from './hooks/hook-store';

export interface GatewayOptions {
  db: Db;
  secrets: SecretBox;
  http: AxiosInstance;
  logger: Logger;
  notifications: HookNotifications;
  baseUrl: string;
  allowedHosts: readonly string[];
  hookRateLimit: RateLimit;
  adminToken: string | undefined;
  /** Shown in the notification that proves a new connection. */
  addonName: string;
  /** Makes a configuration page's signed request change something once. */
  replay: ReplayGuard;
  /** Whether a JWT caller administers a room (RoomAdminAuthority); every change needs it. */
  roomAdmins: { require: RoomAdminCheck };
  /** The modules' slash commands, run by the build-your-own command of token-connected rooms. */
  commands: CommandDispatcher;
  now?: () => number;
}

/**
 * The simpler ways into a room: rooms connected with a notification token, incoming hooks, and the
 * build-your-own slash command (any module's command). Services only; the HTTP side is in ./http.
 */
export class Gateway {
  readonly connections: ConnectionStore;
  readonly hooks: HookService;
  /** Register as services.credentialProviders.room_token. */
  readonly credentialProvider: RoomTokenCredentialProvider;
  readonly adminToken: string | undefined;
  private readonly roomAdmins: RoomAdminCheck = (context, roomId) => this.options.roomAdmins.require(context, roomId);
  private readonly client: HipChatClient;

  constructor(private readonly options: GatewayOptions) {
    this.connections = new ConnectionStore(options.db, options.secrets);
    this.client = new HipChatClient(options.http, options.now);
    this.credentialProvider = new RoomTokenCredentialProvider(this.connections, options.logger);
    this.adminToken = options.adminToken;
    this.hooks = new HookService({
      db: options.db,
      hooks: new HookStore(options.db),
      connections: this.connections,
      notifications: options.notifications,
      limiter: new HookRateLimiter(options.hookRateLimit, options.now),
      baseUrl: options.baseUrl,
      replay: options.replay,
      roomAdmins: this.roomAdmins,
    });
  }

  async connect(input: RoomTokenInput, caller: GatewayCaller): Promise<ConnectedRoom> {
    // From a configuration page only the JWT's own room can be connected (connectRoom checks that).
    if (caller.kind === 'installation') await authorizeRoom(this.roomAdmins, caller, caller.context.roomId);
    const within = onceForCaller(caller, this.options.db, this.options.replay);
    // Proving the token posts into the room: a replay is refused before that, and recorded with the insert.
    await refuseReplayedCaller(caller, this.options.replay);
    return connectRoom(
      {
        connections: this.connections,
        client: this.client,
        allowedHosts: this.options.allowedHosts,
        baseUrl: this.options.baseUrl,
        addonName: this.options.addonName,
        within,
      },
      input,
      caller,
    );
  }

  async listConnections(caller: GatewayCaller): Promise<Connection[]> {
    const room = await visibleRoom(this.roomAdmins, caller);
    const connections = await this.connections.list(ownerOf(caller));
    return room === undefined ? connections : connections.filter((connection) => connection.roomId === room);
  }

  async disconnect(caller: GatewayCaller, id: string): Promise<void> {
    await refuseReplayedCaller(caller, this.options.replay);
    const owner = ownerOf(caller);
    const notConnected = () => notFound('No connection with this id', 'connection_not_found');
    const connection = /^[0-9a-f-]{36}$/i.test(id) ? await this.connections.get(id) : undefined;
    if (!connection || (owner !== undefined && connection.oauthId !== owner)) throw notConnected();
    await authorizeRoom(this.roomAdmins, caller, connection.roomId);
    const within = onceForCaller(caller, this.options.db, this.options.replay);
    await within.transaction(async (tx) => {
      if (!(await this.connections.delete(id, owner, tx))) throw notConnected();
    });
  }

  runCommand(commandSecret: string, body: unknown): Promise<RoomNotification | undefined> {
    return runByoCommand({ connections: this.connections, commands: this.options.commands }, commandSecret, body);
  }
}
