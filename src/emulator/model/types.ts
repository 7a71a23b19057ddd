/** The emulator's own data types. Shared with nothing outside src/emulator on purpose. */

export const ALL_SCOPES = [
  'admin_group',
  'admin_room',
  'import_data',
  'manage_rooms',
  'send_message',
  'send_notification',
  'view_group',
  'view_messages',
  'view_room',
] as const;
export type Scope = (typeof ALL_SCOPES)[number];

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (ALL_SCOPES as readonly string[]).includes(value);
}

export interface Group {
  id: number;
  name: string;
}

export interface Room {
  id: number;
  groupId: number;
  name: string;
  topic: string;
  privacy: 'public' | 'private';
  created: string;
  /** The room's owner (a user id); HipChat's rooms always had one, rooms made by the control API may not. */
  ownerId: number | null;
  /** Set by archiveRoom; an archived room refuses new messages, notifications and topics (HipChat's answer). */
  is_archived?: boolean;
}

export interface User {
  id: number;
  groupId: number;
  name: string;
  mention_name: string;
  email: string;
  /** HipChat's group admin flag (GET /v2/user/{id} → is_group_admin). */
  is_group_admin: boolean;
  is_guest: boolean;
  timezone: string;
}

export interface UserSender {
  kind: 'user';
  id: number;
  name: string;
  mention_name: string;
}

/** Notifications (and messages sent through the REST API) come from an add-on or integration label. */
export interface AddonSender {
  kind: 'addon';
  label: string;
  oauthId?: string;
  addonKey?: string;
  integrationId?: string;
}

export type Sender = UserSender | AddonSender;

export type MessageColor = 'yellow' | 'green' | 'red' | 'purple' | 'gray';

export interface Mention {
  id: number;
  name: string;
  mention_name: string;
}

export interface HistoryItem {
  id: string;
  date: string;
  roomId: number;
  type: 'message' | 'notification';
  from: Sender;
  message: string;
  message_format: 'html' | 'text';
  color?: MessageColor;
  card?: Record<string, unknown>;
  notify: boolean;
  attach_to?: string;
  mentions: Mention[];
  /** A file a user uploaded (the message says so; room_file_upload carries the same object). */
  file?: UploadedFile;
}

/** `item.file` of room_file_upload: HipChat's shape (name, size in bytes, url, thumb_url). */
export interface UploadedFile {
  name: string;
  size: number;
  url: string;
  thumb_url: string | null;
}

/** The ten webhook events of HipChat's API reference. */
export const WEBHOOK_EVENTS = [
  'room_archived',
  'room_created',
  'room_deleted',
  'room_enter',
  'room_exit',
  'room_file_upload',
  'room_message',
  'room_notification',
  'room_topic_change',
  'room_unarchived',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A private (1:1) message, as `POST /v2/user/{id_or_email}/message` leaves it in the user's private chat. */
export interface PrivateMessage {
  id: string;
  date: string;
  /** The user whose private chat it is in. */
  userId: number;
  from: Sender;
  message: string;
  message_format: 'html' | 'text';
  notify: boolean;
}

/** A glance value pushed for one user (`POST /v2/addon/ui/user/{user_id}`): it wins over the room's value for them. */
export interface StoredUserGlance {
  oauthId: string;
  userId: number;
  key: string;
  content: GlanceContent;
  updatedAt: string;
}

export interface WebhookDeclaration {
  /** Always set: declared, or `webhook-<index>` when the descriptor gave none. */
  key: string;
  /** Numeric id sent as `webhook_id` in payloads. */
  id: number;
  url: string;
  event: string;
  pattern?: string;
  name?: string;
  authentication: 'jwt' | 'none';
  /** 'descriptor' for declared ones; 'api' for ones registered through PUT /room/{id}/extension/webhook/{key}. */
  source: 'descriptor' | 'api';
  /** Room of an API-registered webhook. */
  roomId?: number;
}

export interface Installation {
  oauthId: string;
  oauthSecret: string;
  groupId: number;
  roomId?: number;
  descriptorUrl: string;
  descriptor: AddonDescriptor;
  scopes: Scope[];
  addonKey: string;
  addonName: string;
  installedAt: string;
  /** false while the install callback is in flight or after uninstall began. */
  active: boolean;
}

/** The part of an add-on descriptor the emulator reads, after schema validation. */
export interface AddonDescriptor {
  key: string;
  name: string;
  description: string;
  links: { self: string; homepage?: string };
  capabilities?: {
    installable?: {
      allowGlobal?: boolean;
      allowRoom?: boolean;
      callbackUrl?: string;
      updateCallbackUrl?: string;
      installedUrl?: string;
      updatedUrl?: string;
      uninstalledUrl?: string;
    };
    hipchatApiConsumer?: { scopes: string[]; fromName?: string };
    webhook?: Array<{ key?: string; url: string; event: string; pattern?: string; name?: string; authentication?: 'jwt' | 'none' }>;
    glance?: Array<{ key: string; name: { value: string }; queryUrl?: string; target?: string | { key: string } }>;
    webPanel?: Array<{ key: string; url: string; name: { value: string }; location: string }>;
    dialog?: Array<{ key: string; url: string; title: { value: string } }>;
    externalPage?: Array<{ key: string; url: string }>;
    action?: Array<{ key: string; target?: string; location?: string }>;
    configurable?: { url: string };
    adminPage?: { url: string };
  };
  [extra: string]: unknown;
}

export interface GlanceContent {
  label: { type: 'html'; value: string };
  status?: { type: 'lozenge'; value: { label: string; type: string } } | { type: 'icon'; value: { url: string; 'url@2x'?: string } };
  metadata?: Record<string, unknown>;
}

export interface StoredGlance {
  oauthId: string;
  roomId: number;
  key: string;
  content: GlanceContent;
  source: 'query' | 'push';
  updatedAt: string;
}

export interface WindowLimit {
  limit: number;
  windowMs: number;
}

export interface Limits {
  /** Per access token, every REST call. */
  rateLimit: WindowLimit;
  /** Per room, on the notification and message endpoints. */
  floodControl: WindowLimit;
}

export const DEFAULT_LIMITS: Limits = {
  rateLimit: { limit: 500, windowMs: 5 * 60_000 },
  floodControl: { limit: 30, windowMs: 60_000 },
};

export interface AccessToken {
  token: string;
  kind: 'installation' | 'room-notification';
  oauthId?: string;
  integrationId?: string;
  groupId: number;
  /** Set for room installations and room notification tokens: the only room the token may act in. */
  roomId?: number;
  scopes: Scope[];
  expiresAt: number;
}

export interface BuildYourOwnIntegration {
  id: string;
  roomId: number;
  name: string;
  token: string;
  secret: string;
  notificationUrl: string;
  slashCommand?: { command: string; url: string };
}

export interface Stats {
  tokenRequests: Record<string, number>;
  apiRequests: number;
  rateLimited: number;
  /** GET /v2/user/{id} and GET /v2/room/{id} answered (what add-ons ask to learn who is an admin). */
  userLookups: number;
  roomLookups: number;
}
