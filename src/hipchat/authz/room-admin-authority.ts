import { LRUCache } from 'lru-cache';
import { HttpError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { userRequest, roomRequest, type ApiRequest, type ApiResult, type HipChatClient } from '../api/hipchat-client';
import { readGroupAdmin, readRoomOwnerId, readUserName } from '../api/hipchat-directory';
import type { TokenService } from '../api/token-service';
import type { Installation } from '../installations/installation';
import type { HipChatContext } from '../jwt/hipchat-context';
import { decideRoomAdmin, needsRoomOwner, type RoomAdminDecision, type RoomAdminRole } from './decide-room-admin';

export interface RoomAdminAuthorityDeps {
  tokens: Pick<TokenService, 'getToken' | 'invalidate'>;
  client: Pick<HipChatClient, 'call'>;
  /** InstallationStore.subscribe: every instance hears of an uninstall (or update) through LISTEN/NOTIFY. */
  subscribe(onChange: (oauthId: string) => void): Promise<() => Promise<void>>;
}

export interface RoomAdminAuthorityOptions {
  /** How long "is an admin" (and a room's owner) is believed: the longest a demoted admin keeps access. */
  adminTtlMs: number;
  /** How long "is not an admin" is believed: the longest a newly promoted admin waits. */
  nonAdminTtlMs: number;
  max?: number;
  logger?: Logger;
  /** Called with the reason of every refusal (metrics count them). */
  onRefusal?: (reason: string) => void;
}

/** What HipChat said about a user (whether a group admin, the name it shows), or a room's owner id. */
interface UserFact {
  isGroupAdmin: boolean;
  name: string | null;
}
type Fact = UserFact | string | null;

/**
 * Asks HipChat, with the installation's own token, whether a JWT's user is an admin of a room, and
 * decides with decideRoomAdmin. Answers (yes and no) are cached briefly; identical look-ups in flight
 * are shared; an uninstall or update of the installation drops its answers on every instance. When
 * HipChat cannot answer, the request is refused (503 admin_check_unavailable): never allowed on doubt.
 */
export class RoomAdminAuthority {
  readonly name = 'room-admin-cache';
  private readonly cache: LRUCache<string, { value: Fact }>;
  private readonly inFlight = new Map<string, Promise<Fact>>();
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private readonly deps: RoomAdminAuthorityDeps,
    private readonly options: RoomAdminAuthorityOptions,
  ) {
    this.cache = new LRUCache({ max: options.max ?? 10_000, ttl: options.adminTtlMs });
  }

  /** What HipChat's answers decide for this caller and target room (null: the whole group). */
  async decide(context: HipChatContext, targetRoomId: number | null): Promise<RoomAdminDecision> {
    const who = { userId: context.userId, jwtRoomId: context.roomId };
    if (who.userId === null) return decideRoomAdmin(who, targetRoomId, { isGroupAdmin: false });
    const { isGroupAdmin } = await this.user(context.installation, who.userId);
    if (isGroupAdmin || !needsRoomOwner(who, targetRoomId) || who.jwtRoomId === null) {
      return decideRoomAdmin(who, targetRoomId, { isGroupAdmin });
    }
    const owner = (await this.fact(context.installation, 'room', String(who.jwtRoomId))) as string | null;
    return decideRoomAdmin(who, targetRoomId, { isGroupAdmin, jwtRoomOwnerId: owner });
  }

  /**
   * The JWT user's name as HipChat shows it, from the same cached look-up as the admin check. A webhook
   * body's name is the caller's word (the body is not signed); this is HipChat's. Null when it cannot say.
   */
  async displayName(context: HipChatContext): Promise<string | null> {
    if (context.userId === null) return null;
    return (await this.user(context.installation, context.userId).catch(() => undefined))?.name ?? null;
  }

  /** Resolves to the caller's role, or throws 403 not_room_admin (logged and counted). */
  async require(context: HipChatContext, targetRoomId: number | null): Promise<RoomAdminRole> {
    const decision = await this.decide(context, targetRoomId);
    if (decision.allowed) return decision.role;
    this.options.logger?.info(
      { oauthId: context.oauthId, userId: context.userId, jwtRoomId: context.roomId, targetRoomId, reason: decision.reason },
      'refused: not a room admin',
    );
    this.options.onRefusal?.('not_room_admin');
    throw new HttpError(403, 'not_room_admin', decision.message);
  }

  /** Forgets every answer about one installation (and look-ups in flight for it). */
  invalidate(oauthId: string): void {
    const prefix = `${oauthId} `;
    for (const key of [...this.cache.keys()]) if (key.startsWith(prefix)) this.cache.delete(key);
    for (const key of [...this.inFlight.keys()]) if (key.startsWith(prefix)) this.inFlight.delete(key);
  }

  /** How many answers are cached for an installation (for tests and diagnostics). */
  cachedAnswers(oauthId: string): number {
    return [...this.cache.keys()].filter((key) => key.startsWith(`${oauthId} `)).length;
  }

  /** Starts hearing of uninstalls; until then nothing is cached, so a removal can never be missed. */
  async start(): Promise<void> {
    this.unsubscribe ??= await this.deps.subscribe((oauthId) => this.invalidate(oauthId));
  }

  async stop(): Promise<void> {
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    this.cache.clear();
    if (unsubscribe) await unsubscribe();
  }

  private async fact(installation: Installation, kind: 'user' | 'room', id: string): Promise<Fact> {
    const key = `${installation.oauthId} ${kind} ${id}`;
    const cached = this.cache.get(key);
    if (cached) return cached.value;
    let pending = this.inFlight.get(key);
    if (!pending) {
      const lookup = this.ask(installation, kind, id);
      pending = lookup;
      this.inFlight.set(key, lookup);
      void lookup.then(
        (value) => {
          // An invalidation while asking removed the entry: its (maybe stale) answer is not kept.
          if (this.inFlight.get(key) !== lookup) return;
          this.inFlight.delete(key);
          if (this.unsubscribe) this.cache.set(key, { value }, { ttl: this.ttlFor(kind, value) });
        },
        () => {
          if (this.inFlight.get(key) === lookup) this.inFlight.delete(key);
        },
      );
    }
    return pending;
  }

  private async user(installation: Installation, userId: string): Promise<UserFact> {
    return (await this.fact(installation, 'user', userId)) as UserFact;
  }

  private ttlFor(kind: 'user' | 'room', value: Fact): number {
    return kind === 'user' && !(value as UserFact).isGroupAdmin ? this.options.nonAdminTtlMs : this.options.adminTtlMs;
  }

  private async ask(installation: Installation, kind: 'user' | 'room', id: string): Promise<Fact> {
    const request: ApiRequest = kind === 'user' ? userRequest(id) : roomRequest(id);
    const { result, accessToken } = await this.call(installation, request);
    // An unknown user or room is an answer: no admin rights come from it.
    if (result.status === 404) return kind === 'user' ? { isGroupAdmin: false, name: null } : null;
    if (!result.ok) {
      // A refused token is forgotten (unless already replaced), so the next check gets a new one.
      if (result.status === 401) await this.deps.tokens.invalidate(installation.oauthId, accessToken).catch(() => undefined);
      const scope = kind === 'user' ? 'view_group' : 'view_room';
      const hint = result.status === 403 ? ` (the installation may lack the ${scope} scope: update the add-on in HipChat)` : '';
      throw unavailable(`HipChat refused to say who administers this room: ${result.errorMessage ?? `HTTP ${result.status}`}${hint}`);
    }
    const value = kind === 'user' ? readUserFact(result.body) : readRoomOwnerId(result.body);
    if (value === undefined) throw unavailable(`HipChat's answer to GET /${request.path} could not be read`);
    return value;
  }

  private async call(installation: Installation, request: ApiRequest): Promise<{ result: ApiResult; accessToken: string }> {
    try {
      const { accessToken } = await this.deps.tokens.getToken(installation);
      return { result: await this.deps.client.call({ apiUrl: installation.apiUrl, accessToken }, request), accessToken };
    } catch (error) {
      throw unavailable(`HipChat could not be asked who administers this room (${(error as Error).message})`, error);
    }
  }
}

function readUserFact(body: unknown): UserFact | undefined {
  const isGroupAdmin = readGroupAdmin(body);
  return isGroupAdmin === undefined ? undefined : { isGroupAdmin, name: readUserName(body) ?? null };
}

/** Fail closed: without HipChat's answer nobody is treated as an admin. */
function unavailable(message: string, cause?: unknown): HttpError {
  return new HttpError(503, 'admin_check_unavailable', `${message}; nothing was changed, try again shortly`, { 'Retry-After': '30' }, { cause });
}
