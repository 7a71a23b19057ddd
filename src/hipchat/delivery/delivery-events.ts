import { EventEmitter } from 'node:events';

/** What the delivery side reports, for metrics and tests; listeners must not throw. */
export interface DeliveryEventMap {
  delivered: [{ id: string; operation: string; attempts: number }];
  retried: [{ id: string; error: string; delayMs: number }];
  failed: [{ id: string; error: string }];
  rate_limited: [{ id: string; delayMs: number }];
  token_requested: [{ outcome: 'success' | 'failure' }];
}

export class DeliveryEvents extends EventEmitter<DeliveryEventMap> {}
