import type { RequestTarget } from './fault-rule';

/** One request HipChat received, as tests see it. `status` is 0 until answered (and stays 0 when dropped). */
export interface RecordedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  target: RequestTarget;
  /** From /room/{id} paths (a number when numeric). */
  roomId?: number | string;
  /** From /user/{id} paths. */
  userId?: number | string;
  /** The installation: the Bearer token's owner, or the token endpoint's Basic user. Secrets are never recorded. */
  oauthId?: string;
  /** Parsed JSON or form body, when the endpoint read one. */
  body: unknown;
  status: number;
  /** The fault that answered or delayed it, if any. */
  fault?: 'status' | 'drop' | 'delay' | 'trickle';
  /** Epoch ms of arrival. */
  at: number;
}

export class RequestLog {
  private entries: RecordedRequest[] = [];

  record(entry: RecordedRequest): RecordedRequest {
    this.entries.push(entry);
    return entry;
  }

  /** The entries themselves, read-only (a request still in flight gets its status when answered). */
  list(): Array<Readonly<RecordedRequest>> {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}

/** roomId / userId from a HipChat REST path such as /v2/room/12/notification or /v2/addon/ui/room/12. */
export function idsFromPath(path: string): Pick<RecordedRequest, 'roomId' | 'userId'> {
  const room = /\/room\/([^/]+)/.exec(path)?.[1];
  const user = /\/user\/([^/]+)/.exec(path)?.[1];
  return { ...(room !== undefined ? { roomId: idValue(room) } : {}), ...(user !== undefined ? { userId: idValue(user) } : {}) };
}

function idValue(raw: string): number | string {
  const decoded = safeDecode(raw);
  return /^\d+$/.test(decoded) ? Number(decoded) : decoded;
}

function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
