import { badRequest } from '../../shared/errors';
import { isStoredId, MAX_STORED_ID } from '../../shared/validate';
import type { Queryable } from '../../store/db';

/** Where an outgoing call goes: a room, reached through an installation or a room notification token. */
export type DeliveryTarget =
  | { kind: 'installation'; oauthId: string; roomId: number }
  | { kind: 'room_token'; connectionId: string; roomId: number };

export interface ResolvedCredentials {
  apiUrl: string;
  accessToken: string;
  /** Requests sharing this key share HipChat's per-token rate limit. */
  rateLimitKey: string;
}

/** Resolves how to call HipChat for a target. */
export interface CredentialProvider {
  /** undefined = the target is gone (uninstalled, disconnected): its pending work is dropped. */
  resolve(target: DeliveryTarget): Promise<ResolvedCredentials | undefined>;
  /** After HipChat answered 401 with the token `resolve` gave. */
  invalidate(target: DeliveryTarget): Promise<void>;
  /**
   * The target's HipChat API base URL, read without asking HipChat, in `tx` when the call is queued in
   * a transaction (which may be the one that created the target). Installation targets need none: the
   * outbox reads their installation's API URL itself.
   */
  apiUrl?(target: DeliveryTarget, tx?: Queryable): Promise<string | undefined>;
}

export type CredentialProviders = Partial<Record<DeliveryTarget['kind'], CredentialProvider>>;

/** Items with the same room key are delivered strictly in order. */
export function roomKey(target: DeliveryTarget): string {
  return target.kind === 'installation'
    ? `installation:${target.oauthId}:${target.roomId}`
    : `room_token:${target.connectionId}:${target.roomId}`;
}

export function assertDeliveryTarget(target: DeliveryTarget): void {
  if (!isStoredId(target.roomId)) throw badRequest(`roomId: must be a whole number from 1 to ${MAX_STORED_ID}`);
  const id = target.kind === 'installation' ? target.oauthId : target.kind === 'room_token' ? target.connectionId : undefined;
  if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
    throw badRequest(`${target.kind === 'installation' ? 'oauthId' : 'connectionId'}: must be a non-empty string`);
  }
}
