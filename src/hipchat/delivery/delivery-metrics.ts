import type { DeliveryEvents } from './delivery-events';
import type { OutboxStore } from './outbox-store';

/** The parts of the add-on's metrics the delivery side feeds (structural, so this layer needs no prom-client). */
export interface DeliveryMetricSinks {
  tokenRequests: { inc(labels: { outcome: string }): void };
  deliveries: { inc(labels: { outcome: string }): void };
  rateLimited: { inc(): void };
  outboxDepth: { set(value: number): void };
  outboxOldestAge: { set(value: number): void };
  onScrape(refresh: () => Promise<void>): void;
}

export function connectDeliveryMetrics(events: DeliveryEvents, outbox: OutboxStore, metrics: DeliveryMetricSinks): void {
  events.on('token_requested', ({ outcome }) => metrics.tokenRequests.inc({ outcome }));
  events.on('delivered', () => metrics.deliveries.inc({ outcome: 'delivered' }));
  events.on('retried', () => metrics.deliveries.inc({ outcome: 'retried' }));
  events.on('failed', () => metrics.deliveries.inc({ outcome: 'failed' }));
  events.on('rate_limited', () => {
    metrics.deliveries.inc({ outcome: 'rate_limited' });
    metrics.rateLimited.inc();
  });
  metrics.onScrape(async () => {
    const stats = await outbox.pendingStats();
    metrics.outboxDepth.set(stats.depth);
    metrics.outboxOldestAge.set(stats.oldestAgeSeconds);
  });
}
