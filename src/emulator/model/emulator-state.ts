import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type {
  BuildYourOwnIntegration,
  Group,
  HistoryItem,
  Installation,
  Room,
  StoredGlance,
  User,
  WebhookDeclaration,
} from './types';

/**
 * Events a web client (or a test) can subscribe to. Payloads are the stored objects.
 * - 'history': HistoryItem appended to a room
 * - 'glance': StoredGlance replaced
 * - 'room': Room created or changed (topic)
 * - 'installation': Installation added, activated or removed ({installation, change})
 */
export interface EmulatorEvents {
  history: [HistoryItem];
  glance: [StoredGlance];
  room: [Room];
  user: [User];
  installation: [{ installation: Installation; change: 'added' | 'activated' | 'updated' | 'removed' }];
}

/** The in-memory model: rooms, users, history, installations, glances. No HTTP in here. */
export class EmulatorState extends EventEmitter<EmulatorEvents> {
  readonly groups = new Map<number, Group>();
  readonly rooms = new Map<number, Room>();
  readonly users = new Map<number, User>();
  private readonly historyByRoom = new Map<number, HistoryItem[]>();
  readonly installations = new Map<string, Installation>();
  /** Room webhooks registered at run time through the REST API, keyed by `${oauthId} ${roomId} ${key}`. */
  readonly apiWebhooks = new Map<string, WebhookDeclaration & { oauthId: string }>();
  readonly glances = new Map<string, StoredGlance>();
  readonly integrations = new Map<string, BuildYourOwnIntegration>();
  private nextRoomId = 100;
  private nextUserId = 1000;
  private nextWebhookId = 1;

  // Rooms, users and groups start in different ranges so an add-on mixing them up fails visibly.
  constructor(readonly defaultGroup: Group) {
    super();
    this.setMaxListeners(0);
    this.groups.set(defaultGroup.id, defaultGroup);
  }

  /** `id`: a chosen id (tests that name rooms by number); by default the next free one. */
  createRoom(input: { name: string; topic?: string; groupId?: number; privacy?: 'public' | 'private'; ownerId?: number | null; id?: number }): Room {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 50) throw new Error('room name must be 1–50 characters');
    if (this.findRoomByName(name)) throw new Error(`a room named "${name}" already exists`);
    if (input.id !== undefined && (!Number.isInteger(input.id) || input.id < 1 || this.rooms.has(input.id))) throw new Error(`room id ${input.id} is taken or invalid`);
    const room: Room = {
      id: input.id ?? this.nextRoomId++,
      groupId: input.groupId ?? this.defaultGroup.id,
      name,
      topic: input.topic ?? '',
      privacy: input.privacy ?? 'public',
      created: new Date().toISOString(),
      ownerId: input.ownerId ?? null,
    };
    if (room.ownerId !== null) this.requireUser(room.ownerId);
    this.nextRoomId = Math.max(this.nextRoomId, room.id + 1);
    this.rooms.set(room.id, room);
    this.historyByRoom.set(room.id, []);
    this.emit('room', room);
    return room;
  }

  createUser(input: { name: string; mention_name?: string; groupId?: number; is_group_admin?: boolean }): User {
    const mention = input.mention_name ?? input.name.replace(/\s+/g, '');
    const user: User = {
      id: this.nextUserId++,
      groupId: input.groupId ?? this.defaultGroup.id,
      name: input.name,
      mention_name: mention,
      email: `${mention.toLowerCase()}@emulator.invalid`,
      is_group_admin: input.is_group_admin ?? false,
      is_guest: false,
      timezone: 'UTC',
    };
    this.users.set(user.id, user);
    this.emit('user', user);
    return user;
  }

  /** HipChat user look-up by id, email or @mention_name, as in `/user/{id_or_email}`. */
  findUser(idOrEmail: string): User | undefined {
    if (/^\d+$/.test(idOrEmail)) return this.users.get(Number(idOrEmail));
    const wanted = idOrEmail.toLowerCase();
    for (const user of this.users.values()) {
      if (user.email.toLowerCase() === wanted || `@${user.mention_name.toLowerCase()}` === wanted) return user;
    }
    return undefined;
  }

  setGroupAdmin(userId: number, isGroupAdmin: boolean): User {
    const user = this.requireUser(userId);
    user.is_group_admin = isGroupAdmin;
    this.emit('user', user);
    return user;
  }

  setRoomOwner(roomId: number, ownerId: number | null): Room {
    const room = this.requireRoom(roomId);
    if (ownerId !== null) this.requireUser(ownerId);
    room.ownerId = ownerId;
    this.emit('room', room);
    return room;
  }

  /** HipChat room look-up by id or (case-insensitive) name, as in `/room/{id_or_name}`. */
  findRoom(idOrName: string | number): Room | undefined {
    if (typeof idOrName === 'number') return this.rooms.get(idOrName);
    if (/^\d+$/.test(idOrName)) return this.rooms.get(Number(idOrName));
    return this.findRoomByName(idOrName);
  }

  private findRoomByName(name: string): Room | undefined {
    const wanted = name.toLowerCase();
    for (const room of this.rooms.values()) if (room.name.toLowerCase() === wanted) return room;
    return undefined;
  }

  requireRoom(roomId: number): Room {
    const room = this.rooms.get(roomId);
    if (!room) throw new Error(`no room with id ${roomId}`);
    return room;
  }

  requireUser(userId: number): User {
    const user = this.users.get(userId);
    if (!user) throw new Error(`no user with id ${userId}`);
    return user;
  }

  setTopic(roomId: number, topic: string): Room {
    const room = this.requireRoom(roomId);
    room.topic = topic;
    this.emit('room', room);
    return room;
  }

  appendHistory(item: Omit<HistoryItem, 'id' | 'date'>): HistoryItem {
    const list = this.historyByRoom.get(item.roomId);
    if (!list) throw new Error(`no room with id ${item.roomId}`);
    const stored: HistoryItem = { id: randomUUID(), date: new Date().toISOString(), ...item };
    list.push(stored);
    this.emit('history', stored);
    return stored;
  }

  history(roomId: number): HistoryItem[] {
    return [...(this.historyByRoom.get(roomId) ?? [])];
  }

  /** Resolves with the first history item (existing or future) matching predicate; rejects after timeoutMs. */
  waitForHistory(roomId: number, predicate: (item: HistoryItem) => boolean, timeoutMs: number): Promise<HistoryItem> {
    const existing = this.history(roomId).find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onItem = (item: HistoryItem): void => {
        if (item.roomId !== roomId || !predicate(item)) return;
        clearTimeout(timer);
        this.off('history', onItem);
        resolve(item);
      };
      const timer = setTimeout(() => {
        this.off('history', onItem);
        reject(new Error(`waitForHistory: no matching item in room ${roomId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('history', onItem);
    });
  }

  findHistoryItem(roomId: number, id: string): HistoryItem | undefined {
    return this.historyByRoom.get(roomId)?.find((item) => item.id === id);
  }

  allocateWebhookId(): number {
    return this.nextWebhookId++;
  }

  /** Installations that receive events from a room: that room's installs plus its group's global installs. */
  installationsForRoom(roomId: number): Installation[] {
    const room = this.rooms.get(roomId);
    if (!room) return [];
    return [...this.installations.values()].filter(
      (inst) => inst.active && inst.groupId === room.groupId && (inst.roomId === undefined || inst.roomId === roomId),
    );
  }

  addInstallation(installation: Installation): void {
    this.installations.set(installation.oauthId, installation);
    this.emit('installation', { installation, change: 'added' });
  }

  activateInstallation(oauthId: string): void {
    const installation = this.installations.get(oauthId);
    if (!installation) return;
    installation.active = true;
    this.emit('installation', { installation, change: 'activated' });
  }

  removeInstallation(oauthId: string): Installation | undefined {
    const installation = this.installations.get(oauthId);
    if (!installation) return undefined;
    this.installations.delete(oauthId);
    installation.active = false;
    for (const [id, hook] of this.apiWebhooks) if (hook.oauthId === oauthId) this.apiWebhooks.delete(id);
    for (const [id, glance] of this.glances) if (glance.oauthId === oauthId) this.glances.delete(id);
    this.emit('installation', { installation, change: 'removed' });
    return installation;
  }

  setGlance(glance: Omit<StoredGlance, 'updatedAt'>): StoredGlance {
    const stored: StoredGlance = { ...glance, updatedAt: new Date().toISOString() };
    this.glances.set(glanceId(glance.oauthId, glance.roomId, glance.key), stored);
    this.emit('glance', stored);
    return stored;
  }

  getGlance(oauthId: string, roomId: number, key: string): StoredGlance | undefined {
    return this.glances.get(glanceId(oauthId, roomId, key));
  }
}

function glanceId(oauthId: string, roomId: number, key: string): string {
  return `${oauthId} ${roomId} ${key}`;
}
