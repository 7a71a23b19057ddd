import type { ApiRequest } from '../api/hipchat-client';
import type { DeliveryTarget } from './delivery-target';
import type { Delivery, DeliveryState, OutboxItem } from './outbox-item';

/** A row of the outbox table, as the driver returns it. */
export interface OutboxRow {
  id: string;
  seq: string | number;
  target_kind: DeliveryTarget['kind'];
  oauth_id: string | null;
  connection_id: string | null;
  room_id: number;
  room_key: string;
  api_host: string | null;
  operation: string;
  method: ApiRequest['method'];
  path: string;
  body: unknown;
  counts_as_message: boolean;
  state: DeliveryState;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export function toItem(row: OutboxRow): OutboxItem {
  const target: DeliveryTarget =
    row.target_kind === 'installation'
      ? { kind: 'installation', oauthId: row.oauth_id ?? '', roomId: row.room_id }
      : { kind: 'room_token', connectionId: row.connection_id ?? '', roomId: row.room_id };
  const body = typeof row.body === 'string' ? (JSON.parse(row.body) as unknown) : row.body;
  return {
    id: row.id,
    target,
    roomKey: row.room_key,
    operation: row.operation,
    request: { method: row.method, path: row.path, ...(body === null ? {} : { body }) },
    countsAsMessage: row.counts_as_message,
    attempts: row.attempts,
    apiHost: row.api_host ?? '',
  };
}

export function toDelivery(row: OutboxRow): Delivery {
  return {
    id: row.id,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    deliveredAt: row.delivered_at ? new Date(row.delivered_at) : null,
  };
}
