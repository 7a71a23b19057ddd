import type { AxiosInstance } from 'axios';
import type { RequestHandler } from 'express';
import type { Logger } from '../../shared/logger';
import type { Db } from '../../store/db';
import type { SecretBox } from '../../store/secret-box';
import type { HipChatClient } from '../api/hipchat-client';
import type { HipChatApi } from '../api/hipchat-api';
import type { RoomAdminAuthority } from '../authz/room-admin-authority';
import type { CredentialProviders } from '../delivery/delivery-target';
import type { NotificationService } from '../delivery/notification-service';
import type { Installation } from '../installations/installation';
import type { InstallationStore } from '../installations/installation-store';
import type { JwtVerifier } from '../jwt/jwt-verifier';
import type { ReplayGuard } from '../replay/replay-guard';
import type { RoomNotification } from '../api/hipchat-messages';
import type { CommandScope, CommandSender } from '../commands/command-handler';

/** The core's services, as a module's setup receives them. */
export interface ModuleServices {
  /** Tagged with the module's key. */
  logger: Logger;
  db: Db;
  baseUrl: string;
  /** HIPCHAT_ALLOWED_HOSTS: the HipChat hosts trusted to install, frame pages and call cross-origin. */
  allowedHosts: readonly string[];
  /** The add-on's name (descriptor `name`). */
  addonName: string;
  /** Verifies HipChat's JWT: mount `requireJwt(core.jwt)` on routes HipChat or its pages call. */
  jwt: JwtVerifier;
  /** Makes a state-changing signed request take effect once. */
  replay: ReplayGuard;
  /** Whether a JWT's user administers a room (asked of HipChat, cached). */
  roomAdmins: RoomAdminAuthority;
  /** Queues room notifications, messages and glance updates in the outbox (delivered at least once, in order). */
  notifications: NotificationService;
  /** How the outbox reaches HipChat per delivery target kind: a module may add one (the gateway adds room_token). */
  credentialProviders: CredentialProviders;
  installations: InstallationStore;
  secrets: SecretBox;
  http: AxiosInstance;
  hipchat: HipChatClient;
  /** HipChat's REST API as one installation (private messages, user glances, topic, look-ups). */
  api(installation: Installation): HipChatApi;
  /** Runs the modules' slash commands in a room connected with a notification token. */
  commands: CommandDispatcher;
  /** CORS for HipChat's web client: only allowed HipChat origins get an answer. */
  corsForHipChat: RequestHandler;
}

/** Runs the modules' slash commands in rooms connected with a notification token (build-your-own). */
export interface CommandDispatcher {
  /** The answer for the room, or undefined when no module has the message's command. */
  runInTokenRoom(scope: Extract<CommandScope, { kind: 'room_token' }>, text: string, sender: CommandSender): Promise<RoomNotification | undefined>;
}
