import crypto from 'node:crypto';
import { startEmulator, type Emulator, type EmulatorOptions, type Installation, type RecordedRequest, type Scope } from '../../src/emulator';

/**
 * The one HipChat double of this project's tests: the emulator, started on loopback, plus the few things
 * tests do to it that a real HipChat did outside an install flow (an OAuth client issued without
 * calling the add-on, a rotated secret, a revoked client, an installable_url document).
 */
export interface HipChatClient {
  oauthId: string;
  oauthSecret: string;
  groupId: number;
}

const EVERY_SCOPE: Scope[] = ['admin_group', 'admin_room', 'import_data', 'manage_rooms', 'send_message', 'send_notification', 'view_group', 'view_messages', 'view_room'];
/** Limits no test reaches unless it sets its own (HipChat's defaults would throttle the load tests). */
const UNLIMITED = { rateLimit: { limit: 1_000_000, windowMs: 300_000 }, floodControl: { limit: 1_000_000, windowMs: 60_000 } };
/** The name an emulator's URLs use for 127.0.0.1, when a test asks for "another host" (see startHipChat). */
const hostnames = new WeakMap<Emulator, string>();

/** `hostname`: the emulator still listens on 127.0.0.1 but names itself so (e.g. `localhost`, to be "another host"). */
export async function startHipChat(options: EmulatorOptions & { hostname?: string } = {}): Promise<Emulator> {
  const { hostname, ...emulatorOptions } = options;
  const emulator = await startEmulator({ ...emulatorOptions, limits: { ...UNLIMITED, ...options.limits } });
  if (hostname) {
    hostnames.set(emulator, hostname);
    resetHipChat(emulator);
  }
  return emulator;
}

/** The emulator's base URL under the name it was started with. */
export function hipchatUrl(emulator: Emulator): string {
  const hostname = hostnames.get(emulator);
  return hostname ? emulator.url.replace('127.0.0.1', hostname) : emulator.url;
}

export const capabilitiesUrl = (emulator: Emulator): string => `${hipchatUrl(emulator)}/v2/capabilities`;
export const tokenUrl = (emulator: Emulator): string => `${hipchatUrl(emulator)}/v2/oauth/token`;
export const apiUrl = (emulator: Emulator): string => `${hipchatUrl(emulator)}/v2/`;

/** Removes every fault and override (keeping the host name the emulator was started under). */
export function resetHipChat(emulator: Emulator): void {
  emulator.faults.clear();
  const hostname = hostnames.get(emulator);
  if (!hostname) return;
  const url = hipchatUrl(emulator);
  emulator.faults.overrideCapabilities({ self: `${url}/v2/capabilities`, tokenUrl: `${url}/v2/oauth/token`, apiUrl: `${url}/v2/`, homepage: url });
}

let nextGroupId = 1000;

/**
 * An OAuth client as HipChat issues one per installation, registered without calling any add-on (the
 * tests post the install body themselves, or save the installation in the add-on's store).
 * Default group: a new one per client; pass the emulator's default group (1) to call the REST API on its rooms.
 */
export function addClient(
  emulator: Emulator,
  options: { oauthId?: string; oauthSecret?: string; groupId?: number; roomId?: number; scopes?: Scope[]; glances?: string[] } = {},
): HipChatClient {
  const client = {
    oauthId: options.oauthId ?? crypto.randomUUID(),
    oauthSecret: options.oauthSecret ?? crypto.randomBytes(20).toString('hex'),
    groupId: options.groupId ?? nextGroupId++,
  };
  const installation: Installation = {
    ...client,
    ...(options.roomId !== undefined ? { roomId: options.roomId } : {}),
    descriptorUrl: 'http://127.0.0.1:9/descriptor',
    descriptor: {
      key: 'test-addon',
      name: 'Test add-on',
      description: 'An installation registered by a test',
      links: { self: 'http://127.0.0.1:9/descriptor' },
      capabilities: { glance: (options.glances ?? []).map((key) => ({ key, name: { value: key }, queryUrl: 'http://127.0.0.1:9/glance' })) },
    } as Installation['descriptor'],
    scopes: options.scopes ?? EVERY_SCOPE,
    addonKey: 'test-addon',
    addonName: 'Test add-on',
    installedAt: new Date().toISOString(),
    active: true,
  };
  emulator.state.addInstallation(installation);
  return client;
}

/** Re-install: HipChat issues a new secret for the same oauthId; the old one stops working. */
export function rotateSecret(emulator: Emulator, oauthId: string): HipChatClient {
  const installation = emulator.installation(oauthId);
  if (!installation) throw new Error(`no client ${oauthId}`);
  installation.oauthSecret = crypto.randomBytes(20).toString('hex');
  return { oauthId, oauthSecret: installation.oauthSecret, groupId: installation.groupId };
}

/** Uninstall as HipChat did it: the client is removed, so its token requests and its tokens are refused. */
export function revokeClient(emulator: Emulator, oauthId: string): void {
  emulator.state.removeInstallation(oauthId);
}

/** The body HipChat POSTs to the add-on's callbackUrl. */
export function installBody(emulator: Emulator, client: HipChatClient, roomId?: number): Record<string, unknown> {
  return {
    oauthId: client.oauthId,
    oauthSecret: client.oauthSecret,
    capabilitiesUrl: capabilitiesUrl(emulator),
    groupId: client.groupId,
    ...(roomId !== undefined ? { roomId } : {}),
  };
}

/** A one-time installable_url document for the browser flow: answered once (a canned answer), then 404. */
export function publishInstallable(emulator: Emulator, document: unknown): string {
  const path = `/_installable/${crypto.randomBytes(12).toString('hex')}`;
  emulator.faults.add({ target: 'all', match: { method: 'GET', path }, times: 1, fault: { kind: 'status', status: 200, body: document } });
  return `${hipchatUrl(emulator)}${path}`;
}

/** Whether the add-on fetched a document of publishInstallable. */
export function wasFetched(emulator: Emulator, installableUrl: string): boolean {
  const path = new URL(installableUrl).pathname;
  return !emulator.faults.list().some((rule) => rule.match?.path === path);
}

/** Token requests presented with this client's id (whatever HipChat answered). */
export function tokenRequestsFor(emulator: Emulator, oauthId: string): RecordedRequest[] {
  return emulator.requests().filter((r) => r.target === 'token' && r.oauthId === oauthId);
}

/** REST calls HipChat accepted (2xx), oldest first: what reached the rooms. */
export function received(emulator: Emulator): RecordedRequest[] {
  return emulator.requests().filter((r) => r.target === 'api' && r.status >= 200 && r.status < 300);
}

/** Creates the rooms (by id, in the default group) that a test names by number. */
export function ensureRooms(emulator: Emulator, ...ids: number[]): void {
  for (const id of ids) if (!emulator.room(id)) emulator.state.createRoom({ id, name: `Room ${id}` });
}

/**
 * A user with this id (the emulator numbers users from 1000 up, so missing ids below it are filled
 * with bystanders), made a group admin or named as asked.
 */
export function ensureUser(emulator: Emulator, id: number, options: { name?: string; isGroupAdmin?: boolean } = {}): void {
  while (!emulator.state.users.has(id)) {
    const created = emulator.createUser(`User ${emulator.users().length + 1000}`);
    if (created.id > id) throw new Error(`user ${id} cannot be created (the emulator is at ${created.id})`);
  }
  const user = emulator.state.requireUser(id);
  if (options.name !== undefined) user.name = options.name;
  if (options.isGroupAdmin !== undefined) emulator.setGroupAdmin(id, options.isGroupAdmin);
}
