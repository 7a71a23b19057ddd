import type { DeliveryTarget } from '../../hipchat/delivery/delivery-target';
import type { Db, Queryable } from '../../store/db';

/** An incoming hook. Its URL secret is not here: only its hash is stored. */
export interface Hook {
  id: string;
  target: DeliveryTarget;
  /** The installation that owns it (its room, or a connection it made); null for admin-made token hooks. */
  oauthId: string | null;
  label: string | null;
  createdAt: Date;
}

export interface NewHook {
  id: string;
  secretHash: string;
  target: DeliveryTarget;
  oauthId: string | null;
  label: string | null;
}

interface Row {
  id: string;
  target_kind: DeliveryTarget['kind'];
  oauth_id: string | null;
  connection_id: string | null;
  room_id: number;
  label: string | null;
  created_at: Date;
}

const COLUMNS = 'id, target_kind, oauth_id, connection_id, room_id, label, created_at';

export class HookStore {
  constructor(private readonly db: Db) {}

  async insert(hook: NewHook, tx: Queryable = this.db): Promise<Hook> {
    const { target } = hook;
    const { rows } = await tx.query<Row>(
      `INSERT INTO gateway_hooks (id, secret_hash, target_kind, oauth_id, connection_id, room_id, label)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        hook.id,
        hook.secretHash,
        target.kind,
        hook.oauthId,
        target.kind === 'room_token' ? target.connectionId : null,
        target.roomId,
        hook.label,
      ],
    );
    return fromRow(rows[0] as Row);
  }

  async findBySecretHash(secretHash: string): Promise<Hook | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM gateway_hooks WHERE secret_hash = $1`, [secretHash]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** One hook (of that installation, when oauthId is given). */
  async find(id: string, oauthId?: string): Promise<Hook | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM gateway_hooks WHERE id = $1`, [id]);
    const hook = rows[0] ? fromRow(rows[0]) : undefined;
    return hook && (oauthId === undefined || hook.oauthId === oauthId) ? hook : undefined;
  }

  /** Every hook (oauthId undefined), or those of one installation. */
  async list(oauthId?: string): Promise<Hook[]> {
    const { rows } =
      oauthId === undefined
        ? await this.db.query<Row>(`SELECT ${COLUMNS} FROM gateway_hooks ORDER BY created_at, id`)
        : await this.db.query<Row>(`SELECT ${COLUMNS} FROM gateway_hooks WHERE oauth_id = $1 ORDER BY created_at, id`, [
            oauthId,
          ]);
    return rows.map(fromRow);
  }

  /** Deletes a hook (of that installation, when oauthId is given); false if there was none. */
  async delete(id: string, oauthId?: string, tx: Queryable = this.db): Promise<boolean> {
    const { rowCount } =
      oauthId === undefined
        ? await tx.query('DELETE FROM gateway_hooks WHERE id = $1', [id])
        : await tx.query('DELETE FROM gateway_hooks WHERE id = $1 AND oauth_id = $2', [id, oauthId]);
    return rowCount > 0;
  }

  async recordDelivery(hookId: string, deliveryId: string, tx: Queryable): Promise<void> {
    await tx.query('INSERT INTO gateway_hook_deliveries (hook_id, delivery_id) VALUES ($1, $2)', [hookId, deliveryId]);
  }

  async hasDelivery(hookId: string, deliveryId: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'SELECT 1 FROM gateway_hook_deliveries WHERE hook_id = $1 AND delivery_id = $2',
      [hookId, deliveryId],
    );
    return rowCount > 0;
  }
}

function fromRow(row: Row): Hook {
  const target: DeliveryTarget =
    row.target_kind === 'room_token'
      ? { kind: 'room_token', connectionId: row.connection_id as string, roomId: row.room_id }
      : { kind: 'installation', oauthId: row.oauth_id as string, roomId: row.room_id };
  return { id: row.id, target, oauthId: row.oauth_id, label: row.label, createdAt: row.created_at };
}
