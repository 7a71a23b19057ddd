import type { Db, Queryable } from '../../store/db';
import type { SecretBox } from '../../store/secret-box';

/** A room connected with a room notification token. The token itself is only read through `credentials`. */
export interface Connection {
  id: string;
  /** The installation whose configuration page made it; null when made with the admin token. */
  oauthId: string | null;
  apiUrl: string;
  roomId: number;
  roomName: string | null;
  tokenHash: string;
  /** When HipChat last refused the token (401): the room admin has probably deleted it. */
  tokenRefusedAt: Date | null;
  createdAt: Date;
}

export interface NewConnection {
  id: string;
  oauthId: string | null;
  apiUrl: string;
  roomId: number;
  roomName: string | null;
  token: string;
  tokenHash: string;
  commandSecretHash: string;
}

export interface ConnectionCredentials {
  apiUrl: string;
  token: string;
  tokenHash: string;
}

interface Row {
  id: string;
  oauth_id: string | null;
  api_url: string;
  room_id: number;
  room_name: string | null;
  room_token: string;
  token_hash: string;
  token_refused_at: Date | null;
  created_at: Date;
}

const COLUMNS = 'id, oauth_id, api_url, room_id, room_name, token_hash, token_refused_at, created_at';

export class ConnectionStore {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  /** undefined when the same token already connects the same room. */
  async insert(connection: NewConnection, tx: Queryable = this.db): Promise<Connection | undefined> {
    const { rows } = await tx.query<Row>(
      `INSERT INTO gateway_connections (id, oauth_id, api_url, room_id, room_name, room_token, token_hash, command_secret_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (api_url, room_id, token_hash) DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        connection.id,
        connection.oauthId,
        connection.apiUrl,
        connection.roomId,
        connection.roomName,
        this.secrets.seal(connection.token),
        connection.tokenHash,
        connection.commandSecretHash,
      ],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async findExisting(apiUrl: string, roomId: number, tokenHash: string): Promise<Connection | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM gateway_connections WHERE api_url = $1 AND room_id = $2 AND token_hash = $3`,
      [apiUrl, roomId, tokenHash],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async get(id: string, tx: Queryable = this.db): Promise<Connection | undefined> {
    const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM gateway_connections WHERE id = $1`, [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async findByCommandSecretHash(hash: string): Promise<Connection | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM gateway_connections WHERE command_secret_hash = $1`,
      [hash],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** Every connection (oauthId undefined), or those an installation made. */
  async list(oauthId?: string): Promise<Connection[]> {
    const { rows } =
      oauthId === undefined
        ? await this.db.query<Row>(`SELECT ${COLUMNS} FROM gateway_connections ORDER BY created_at, id`)
        : await this.db.query<Row>(
            `SELECT ${COLUMNS} FROM gateway_connections WHERE oauth_id = $1 ORDER BY created_at, id`,
            [oauthId],
          );
    return rows.map(fromRow);
  }

  /**
   * Deletes the connection (of that installation, when oauthId is given) and, by cascade, its hooks
   * and its undelivered notifications.
   */
  async delete(id: string, oauthId?: string, tx: Queryable = this.db): Promise<boolean> {
    const { rowCount } =
      oauthId === undefined
        ? await tx.query('DELETE FROM gateway_connections WHERE id = $1', [id])
        : await tx.query('DELETE FROM gateway_connections WHERE id = $1 AND oauth_id = $2', [id, oauthId]);
    return rowCount > 0;
  }

  async credentials(id: string): Promise<ConnectionCredentials | undefined> {
    const { rows } = await this.db.query<Row>(
      'SELECT api_url, room_token, token_hash FROM gateway_connections WHERE id = $1',
      [id],
    );
    const row = rows[0];
    return row ? { apiUrl: row.api_url, token: this.secrets.open(row.room_token), tokenHash: row.token_hash } : undefined;
  }

  async markTokenRefused(id: string): Promise<void> {
    await this.db.query('UPDATE gateway_connections SET token_refused_at = now() WHERE id = $1', [id]);
  }
}

function fromRow(row: Row): Connection {
  return {
    id: row.id,
    oauthId: row.oauth_id,
    apiUrl: row.api_url,
    roomId: row.room_id,
    roomName: row.room_name,
    tokenHash: row.token_hash,
    tokenRefusedAt: row.token_refused_at,
    createdAt: row.created_at,
  };
}
