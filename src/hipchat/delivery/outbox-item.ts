import type { ApiRequest } from '../api/hipchat-client';
import type { DeliveryTarget } from './delivery-target';

// Apart from outbox-store.ts so that outbox-row.ts can map rows onto them without importing the store back.

export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'superseded';

export interface Delivery {
  id: string;
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface OutboxItem {
  id: string;
  target: DeliveryTarget;
  roomKey: string;
  operation: string;
  request: ApiRequest;
  countsAsMessage: boolean;
  attempts: number;
  /** The HipChat host the call goes to, as recorded at enqueue ('' when it was not known). */
  apiHost: string;
}
