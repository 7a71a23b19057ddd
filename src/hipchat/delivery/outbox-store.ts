import crypto from 'node:crypto';
import type { Db, Queryable } from '../../store/db';
import type { ApiRequest } from '../api/hipchat-client';
import { roomKey, type DeliveryTarget } from './delivery-target';
import type { Delivery, OutboxItem } from './outbox-item';
import { toDelivery, toItem, type OutboxRow as Row } from './outbox-row';

export type { Delivery, DeliveryState, OutboxItem } from './outbox-item';

/**
 * host[:port] of an API URL, in SQL: the one definition of "HipChat host" for scheduling (the worker's
 * share per host) and backpressure (a room's backlog), used by the migration that added api_host too.
 */
const HOST_OF = (url: string) => `lower(substring(${url} FROM '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#]+)'))`;

/** The API URL of a target: the caller's ($url), else its installation's ($oauthId). */
const API_URL_OF = (url: string, oauthId: string) =>
  `coalesce(${url}::text, (SELECT i.api_url FROM installations i WHERE i.oauth_id = ${oauthId}))`;

/** NOTIFY channel: an item was enqueued (payload: its room key), so idle workers wake at once. */
export const OUTBOX_CHANNEL = 'hipchat_outbox';

export interface DeadLetter extends Delivery {
  target: DeliveryTarget;
  operation: string;
  request: ApiRequest;
}

export interface NewOutboxItem {
  target: DeliveryTarget;
  operation: string;
  request: ApiRequest;
  countsAsMessage: boolean;
  /** The target's HipChat API URL if the caller knows it; for installation targets the outbox reads it. */
  apiUrl?: string;
  /**
   * Delivered in order with the room's other items when unset. Set, the item has its own queue next to
   * the room's (e.g. "glance:tasks.glance"), so it never waits behind the room's messages.
   */
  queue?: string;
  /** A newer item replaces what its queue still has pending and not in flight (glance updates). */
  supersedesPending?: boolean;
}

/**
 * The outbox table. Claims are leases (claimed_until) so work held by a crashed instance becomes
 * claimable again; only the oldest pending item of each room is ever claimable, which keeps rooms in
 * order across any number of instances. ("Room" is the ordering key, room_key: a room's messages and
 * webhook changes share one, each of its glances has its own.)
 */
export class OutboxStore {
  constructor(private readonly db: Db) {}

  async enqueue(item: NewOutboxItem, tx: Queryable = this.db): Promise<string> {
    const id = crypto.randomUUID();
    const { target, request } = item;
    const key = item.queue === undefined ? roomKey(target) : `${roomKey(target)}#${item.queue}`;
    if (item.supersedesPending) {
      // Only what no worker holds: a claimed item may be on its way to HipChat already, and then the new
      // one follows it in the queue. A claim racing this waits for the row lock and sees the new state.
      await tx.query(
        `UPDATE outbox SET state = 'superseded', claimed_by = NULL, claimed_until = NULL
         WHERE room_key = $1 AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < now())`,
        [key],
      );
    }
    await tx.query(
      `INSERT INTO outbox (id, target_kind, oauth_id, connection_id, room_id, room_key, operation, method, path, body,
         counts_as_message, api_host)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, ${HOST_OF(API_URL_OF('$12', '$3'))})`,
      [
        id,
        target.kind,
        target.kind === 'installation' ? target.oauthId : null,
        target.kind === 'room_token' ? target.connectionId : null,
        target.roomId,
        key,
        item.operation,
        request.method,
        request.path,
        request.body === undefined ? null : JSON.stringify(request.body),
        item.countsAsMessage,
        item.apiUrl ?? null,
      ],
    );
    // Inside a transaction the notification goes out at commit, so nobody wakes for rolled-back work.
    await tx.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, key]);
    return id;
  }

  /**
   * Claims, for `leaseMs`, up to `rooms` rooms whose oldest pending item is due and not leased, with up
   * to `perRoom` of each room's oldest pending items (in order). Returns one array per room. Rooms whose
   * head goes to one of `skipHosts` ('' = host unknown) are left for later.
   */
  /**
   * Claims the heads of up to `rooms` rooms (and up to `perRoom` items behind each) for `leaseMs`.
   * `skip.hosts` are HipChat hosts at their share; `skip.rooms` are rooms this worker is still working on,
   * which it must never claim again itself, even when a late heartbeat let their lease lapse.
   */
  async claim(
    workerId: string,
    rooms: number,
    perRoom: number,
    leaseMs: number,
    skip: { hosts?: string[]; rooms?: string[] } = {},
  ): Promise<OutboxItem[][]> {
    return this.db.transaction(async (tx) => {
      // Heads found by a loose index scan over the pending rooms: cost grows with rooms, not items.
      // (Separate statements keep the planner on the indexes even before the table has statistics.)
      const { rows: candidates } = await tx.query<{ id: string }>(
        `WITH RECURSIVE rooms(room_key) AS (
           (SELECT room_key FROM outbox WHERE state = 'pending' ORDER BY room_key LIMIT 1)
           UNION ALL
           SELECT (SELECT o.room_key FROM outbox o WHERE o.state = 'pending' AND o.room_key > r.room_key
                   ORDER BY o.room_key LIMIT 1)
           FROM rooms r WHERE r.room_key IS NOT NULL
         )
         SELECT h.id FROM rooms r CROSS JOIN LATERAL (
           SELECT p.id FROM outbox p WHERE p.state = 'pending' AND p.room_key = r.room_key ORDER BY p.seq LIMIT 1
         ) h
         WHERE r.room_key IS NOT NULL`,
      );
      if (candidates.length === 0) return [];
      const { rows: heads } = await tx.query<{ id: string; room_key: string }>(
        `SELECT o.id, o.room_key FROM outbox o
         WHERE o.id = ANY($1::uuid[]) AND o.state = 'pending' AND o.next_attempt_at <= now()
           AND (o.claimed_until IS NULL OR o.claimed_until < now())
           AND NOT (coalesce(o.api_host, '') = ANY($3::text[])) AND NOT (o.room_key = ANY($4::text[]))
         ORDER BY o.seq LIMIT $2
         FOR UPDATE SKIP LOCKED`,
        [candidates.map((c) => c.id), rooms, skip.hosts ?? [], skip.rooms ?? []],
      );
      if (heads.length === 0) return [];
      // Behind a locked head nobody else can claim the room, so its next items come along in order.
      const { rows } = await tx.query<Row>(
        `UPDATE outbox SET claimed_by = $1, claimed_until = now() + ($2::double precision * interval '1 millisecond')
         WHERE id = ANY(ARRAY(
           SELECT b.id FROM unnest($3::text[]) AS r(room_key) CROSS JOIN LATERAL (
             SELECT p.id FROM outbox p WHERE p.state = 'pending' AND p.room_key = r.room_key ORDER BY p.seq LIMIT $4
           ) b
         )) AND state = 'pending'
         RETURNING *`,
        [workerId, leaseMs, heads.map((head) => head.room_key), perRoom],
      );
      const byRoom = new Map<string, Row[]>();
      for (const row of rows) byRoom.set(row.room_key, [...(byRoom.get(row.room_key) ?? []), row]);
      return [...byRoom.values()].map((items) => items.sort((a, b) => Number(a.seq) - Number(b.seq)).map(toItem));
    });
  }

  /** Keeps this worker's claims on `ids` alive for another `leaseMs`. */
  async extend(ids: string[], workerId: string, leaseMs: number): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET claimed_until = now() + ($3::double precision * interval '1 millisecond')
       WHERE id = ANY($1::uuid[]) AND claimed_by = $2 AND state = 'pending'`,
      [ids, workerId, leaseMs],
    );
  }

  /** Hands claimed items back unchanged (the rest of a room's batch after its head was put back). */
  async release(ids: string[], workerId: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE id = ANY($1::uuid[]) AND claimed_by = $2`,
      [ids, workerId],
    );
  }

  async markDelivered(id: string, workerId: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET state = 'delivered', delivered_at = now(), attempts = attempts + 1, last_error = NULL,
         claimed_by = NULL, claimed_until = NULL WHERE id = $1 AND claimed_by = $2`,
      [id, workerId],
    );
  }

  /** A failed attempt that will be retried after `delayMs`. */
  async scheduleRetry(id: string, workerId: string, delayMs: number, error: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET attempts = attempts + 1, last_error = $3, claimed_by = NULL, claimed_until = NULL,
         next_attempt_at = now() + ($4::double precision * interval '1 millisecond')
       WHERE id = $1 AND claimed_by = $2`,
      [id, workerId, error, delayMs],
    );
  }

  /** Not an attempt (rate limit, pacing): put back, due after `delayMs`. */
  async defer(id: string, workerId: string, delayMs: number): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET claimed_by = NULL, claimed_until = NULL,
         next_attempt_at = now() + ($3::double precision * interval '1 millisecond')
       WHERE id = $1 AND claimed_by = $2`,
      [id, workerId, delayMs],
    );
  }

  /** Dead-letters the item: the room moves on, an operator can list and replay it. */
  async markFailed(id: string, workerId: string, error: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = $3, claimed_by = NULL, claimed_until = NULL
       WHERE id = $1 AND claimed_by = $2`,
      [id, workerId, error],
    );
  }

  /** On a graceful stop: hand this worker's claims back at once instead of waiting for the lease. */
  async releaseClaims(workerId: string): Promise<void> {
    await this.db.query(`UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1 AND state = 'pending'`, [
      workerId,
    ]);
  }

  async get(id: string): Promise<Delivery | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<Row>('SELECT * FROM outbox WHERE id = $1', [id]);
    return rows[0] ? toDelivery(rows[0]) : undefined;
  }

  async listDeadLetters(limit = 100): Promise<DeadLetter[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM outbox WHERE state = 'failed' ORDER BY created_at, seq LIMIT $1`,
      [limit],
    );
    return rows.map((row) => {
      const item = toItem(row);
      return { ...toDelivery(row), target: item.target, operation: item.operation, request: item.request };
    });
  }

  /** Puts a dead letter back at the end of its room's queue; false if there is no such failed item. */
  async replay(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { rows } = await this.db.query<{ room_key: string }>(
      `UPDATE outbox SET state = 'pending', attempts = 0, last_error = NULL, next_attempt_at = now(),
         claimed_by = NULL, claimed_until = NULL, seq = nextval(pg_get_serial_sequence('outbox', 'seq'))
       WHERE id = $1 AND state = 'failed' RETURNING room_key`,
      [id],
    );
    if (rows[0]) await this.db.notify(OUTBOX_CHANNEL, rows[0].room_key);
    return rows.length > 0;
  }

  /**
   * Messages still to be sent into one HipChat room, whichever installation, connection or queue they
   * came through (by room key alone when the host is not known). In a transaction, it first takes a
   * lock on the room that lasts until commit, so concurrent producers checking the count and then
   * queueing one more cannot all slip in past a bound together.
   */
  async pendingMessages(target: DeliveryTarget, apiUrl: string | undefined, tx: Queryable = this.db): Promise<number> {
    const { rows: hosts } = await tx.query<{ host: string | null }>(`SELECT ${HOST_OF(API_URL_OF('$1', '$2'))} AS host`, [
      apiUrl ?? null,
      target.kind === 'installation' ? target.oauthId : null,
    ]);
    const apiHost = hosts[0]?.host ?? undefined;
    const room = apiHost === undefined ? roomKey(target) : `${apiHost}#${target.roomId}`;
    if (tx !== this.db) await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`outbox-room:${room}`]);
    const { rows } =
      apiHost === undefined
        ? await tx.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM outbox WHERE room_key = $1 AND state = 'pending' AND counts_as_message`,
            [roomKey(target)],
          )
        : await tx.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM outbox
             WHERE api_host = $1 AND room_id = $2 AND state = 'pending' AND counts_as_message`,
            [apiHost, target.roomId],
          );
    return Number(rows[0]?.n ?? 0);
  }

  async pendingStats(): Promise<{ depth: number; oldestAgeSeconds: number }> {
    const { rows } = await this.db.query<{ depth: number; age: number | null }>(
      `SELECT count(*)::int AS depth, extract(epoch FROM now() - min(created_at))::float8 AS age
       FROM outbox WHERE state = 'pending'`,
    );
    return { depth: Number(rows[0]?.depth ?? 0), oldestAgeSeconds: Number(rows[0]?.age ?? 0) };
  }
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
