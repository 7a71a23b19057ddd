import pg from 'pg';
import type { Logger } from '../shared/logger';
import type { Db, Queryable } from './db';

export interface PgDbOptions {
  max?: number;
}

/** Postgres through a `pg` pool, with one dedicated connection for LISTEN that reconnects if it drops. */
export async function openPgDb(connectionString: string, logger: Logger, options: PgDbOptions = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  pool.on('error', (error) => logger.warn({ err: error.message }, 'idle Postgres connection failed'));
  await pool.query('SELECT 1');
  const listener = new PgListener(connectionString, logger);

  const query: Queryable['query'] = async <R>(sql: string, params: unknown[] = []) => {
    const result = await pool.query(sql, params);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  };

  return {
    kind: 'postgres',
    query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          async query<R>(sql: string, params: unknown[] = []) {
            const result = await client.query(sql, params);
            return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
          },
        };
        const value = await fn(tx);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    listen: (channel, onPayload) => listener.listen(channel, onPayload),
    async notify(channel, payload) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

type Handler = (payload: string) => void;

interface Channel {
  handlers: Set<Handler>;
  /** Settles once LISTEN is active on the connection; every subscriber waits for it. */
  listening: Promise<void>;
}

class PgListener {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly channels = new Map<string, Channel>();
  /** The connection's statements, one at a time: pg@9 no longer queues a query sent while another runs. */
  private statements: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly connectionString: string,
    private readonly logger: Logger,
  ) {}

  async listen(name: string, handler: Handler): Promise<() => Promise<void>> {
    const { handlers, listening } = this.channels.get(name) ?? this.openChannel(name);
    await listening;
    handlers.add(handler);
    return async () => {
      handlers.delete(handler);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
  }

  /** Sends LISTEN for a new channel; a channel whose LISTEN failed is forgotten, so the next subscriber tries again. */
  private openChannel(name: string): Channel {
    const channel: Channel = { handlers: new Set(), listening: this.run(listenStatement(name)) };
    channel.listening.catch(() => {
      if (this.channels.get(name) === channel) this.channels.delete(name);
    });
    this.channels.set(name, channel);
    return channel;
  }

  private run(sql: string): Promise<void> {
    const statement = this.statements.then(async () => {
      const client = await this.connection();
      await client.query(sql);
    });
    this.statements = statement.catch(() => undefined);
    return statement;
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (message) => {
      for (const handler of this.channels.get(message.channel)?.handlers ?? []) handler(message.payload ?? '');
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error.message }, 'Postgres LISTEN connection lost; reconnecting');
      this.client = undefined;
      void this.reconnect();
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 200 * 2 ** attempt)));
      try {
        for (const name of this.channels.keys()) await this.run(listenStatement(name));
        return;
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'Postgres LISTEN reconnect failed');
      }
    }
  }
}

function listenStatement(channel: string): string {
  return `LISTEN "${channel.replace(/"/g, '')}"`;
}
