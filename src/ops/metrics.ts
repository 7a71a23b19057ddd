import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The add-on's Prometheus metrics, in a registry of its own (several apps can live in one process in
 * tests). Other modules receive this object and call its counters; none of them imports prom-client.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly jwtRefusals = new Counter({
    name: 'hipchat_jwt_refusals_total',
    help: 'Requests refused by JWT verification, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly authorizationRefusals = new Counter({
    name: 'hipchat_authorization_refusals_total',
    help: 'Authenticated requests refused for lack of rights (e.g. not_room_admin), by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly installs = new Counter({
    name: 'hipchat_installs_total',
    help: 'Installations stored (install and update), by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly uninstalls = new Counter({
    name: 'hipchat_uninstalls_total',
    help: 'Uninstall requests, by outcome (removed, pending confirmation, forged)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly tokenRequests = new Counter({
    name: 'hipchat_token_requests_total',
    help: 'Access token requests made to HipChat, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'hipchat_deliveries_total',
    help: 'Outbox delivery attempts, by outcome (delivered, retried, failed, rate_limited)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'hipchat_rate_limited_total',
    help: 'HTTP 429 answers received from HipChat',
    registers: [this.registry],
  });

  readonly outboxDepth = new Gauge({
    name: 'hipchat_outbox_depth',
    help: 'Outbox items waiting to be delivered',
    registers: [this.registry],
  });

  readonly outboxOldestAge = new Gauge({
    name: 'hipchat_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest pending outbox item (0 when empty)',
    registers: [this.registry],
  });

  private readonly refreshers: Array<() => Promise<void>> = [];

  constructor(options: { collectProcessMetrics?: boolean } = {}) {
    if (options.collectProcessMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  onScrape(refresh: () => Promise<void>): void {
    this.refreshers.push(refresh);
  }

  /** The text exposition, after refreshing gauges that are read from elsewhere. */
  async scrape(): Promise<string> {
    await Promise.allSettled(this.refreshers.map((refresh) => refresh()));
    return this.registry.metrics();
  }
}
