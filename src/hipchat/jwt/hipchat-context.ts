import type { Installation } from '../installations/installation';

/** Who is calling, established from a verified HipChat JWT. Set by requireJwt on every protected request. */
export interface HipChatContext {
  installation: Installation;
  oauthId: string;
  groupId: number;
  /** context.room_id, falling back to the installation's room. */
  roomId: number | null;
  /** sub, falling back to prn (older HipChat clients). */
  userId: string | null;
  /** context.user_tz */
  userTz: string | null;
  /** The verified JWT as received (pages may embed it for their first API call). */
  token: string;
  /** The token's `jti` (HipChat puts a random one in every JWT); null when absent or not a usable string. */
  jti: string | null;
  /** The token's `exp`, in Unix seconds. */
  expiresAt: number;
}
