import type { Db, Queryable } from '../../store/db';
import type { SecretBox } from '../../store/secret-box';
import type { Installation, NewInstallation } from './installation';

/** The NOTIFY channel on which every instance hears that an installation changed or went away. */
export const INSTALLATION_CHANGED_CHANNEL = 'hipchat_installation_changed';

interface InstallationRow {
  oauth_id: string;
  oauth_secret: string;
  group_id: number;
  room_id: number | null;
  capabilities_url: string;
  token_url: string;
  api_url: string;
  hipchat_base_url: string;
  scopes: string;
  created_at: Date;
  updated_at: Date;
}

/**
 * Installations in Postgres. Every table holding an installation's data references
 * installations(oauth_id) ON DELETE CASCADE, so `delete` removes credentials, tokens and data at once.
 */
export class InstallationStore {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  /** Inserts or replaces (re-install/update) an installation; idempotent for the same values. */
  async save(installation: NewInstallation, tx: Queryable = this.db): Promise<Installation> {
    const { rows } = await tx.query<InstallationRow>(
      `INSERT INTO installations
         (oauth_id, oauth_secret, group_id, room_id, capabilities_url, token_url, api_url, hipchat_base_url, scopes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (oauth_id) DO UPDATE SET
         oauth_secret = EXCLUDED.oauth_secret, group_id = EXCLUDED.group_id, room_id = EXCLUDED.room_id,
         capabilities_url = EXCLUDED.capabilities_url, token_url = EXCLUDED.token_url, api_url = EXCLUDED.api_url,
         hipchat_base_url = EXCLUDED.hipchat_base_url, scopes = EXCLUDED.scopes, updated_at = now()
       RETURNING *`,
      this.columns(installation),
    );
    // New credentials, proven: earlier uninstall checks and probes concerned the old ones.
    await tx.query('DELETE FROM uninstall_checks WHERE oauth_id = $1', [installation.oauthId]);
    await tx.query('DELETE FROM install_probes WHERE oauth_id = $1', [installation.oauthId]);
    await this.announce(installation.oauthId, tx);
    return this.fromRow(rows[0] as InstallationRow);
  }

  /** Inserts a new installation; undefined (nothing written) if the oauthId is already stored. */
  async insert(installation: NewInstallation, tx: Queryable = this.db): Promise<Installation | undefined> {
    const { rows } = await tx.query<InstallationRow>(
      `INSERT INTO installations
         (oauth_id, oauth_secret, group_id, room_id, capabilities_url, token_url, api_url, hipchat_base_url, scopes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (oauth_id) DO NOTHING
       RETURNING *`,
      this.columns(installation),
    );
    if (!rows[0]) return undefined;
    await this.announce(installation.oauthId, tx);
    return this.fromRow(rows[0]);
  }

  async get(oauthId: string, tx: Queryable = this.db): Promise<Installation | undefined> {
    const { rows } = await tx.query<InstallationRow>('SELECT * FROM installations WHERE oauth_id = $1', [oauthId]);
    return rows[0] ? this.fromRow(rows[0]) : undefined;
  }

  /** `get` that locks the row until `tx` ends, so a decision about it holds until the write. */
  async getForUpdate(oauthId: string, tx: Queryable): Promise<Installation | undefined> {
    const { rows } = await tx.query<InstallationRow>('SELECT * FROM installations WHERE oauth_id = $1 FOR UPDATE', [oauthId]);
    return rows[0] ? this.fromRow(rows[0]) : undefined;
  }

  /** Deletes the installation and, through ON DELETE CASCADE, everything stored for it. */
  async delete(oauthId: string, tx: Queryable = this.db): Promise<boolean> {
    const { rowCount } = await tx.query('DELETE FROM installations WHERE oauth_id = $1', [oauthId]);
    await this.announce(oauthId, tx);
    return rowCount > 0;
  }

  async count(): Promise<number> {
    const { rows } = await this.db.query<{ n: number | string }>('SELECT count(*)::int AS n FROM installations');
    return Number(rows[0]?.n ?? 0);
  }

  async listByGroup(groupId: number): Promise<Installation[]> {
    const { rows } = await this.db.query<InstallationRow>(
      'SELECT * FROM installations WHERE group_id = $1 ORDER BY created_at',
      [groupId],
    );
    return rows.map((row) => this.fromRow(row));
  }

  /** Calls `onChange(oauthId)` whenever any instance saves or deletes an installation. */
  subscribe(onChange: (oauthId: string) => void): Promise<() => Promise<void>> {
    return this.db.listen(INSTALLATION_CHANGED_CHANNEL, onChange);
  }

  /** NOTIFY inside a transaction is delivered at commit, so listeners never see a change that rolled back. */
  private async announce(oauthId: string, tx: Queryable): Promise<void> {
    await tx.query('SELECT pg_notify($1, $2)', [INSTALLATION_CHANGED_CHANNEL, oauthId]);
  }

  private columns(installation: NewInstallation): unknown[] {
    return [
      installation.oauthId,
      this.secrets.seal(installation.oauthSecret),
      installation.groupId,
      installation.roomId,
      installation.capabilitiesUrl,
      installation.tokenUrl,
      installation.apiUrl,
      installation.hipchatBaseUrl,
      installation.scopes.join(' '),
    ];
  }

  private fromRow(row: InstallationRow): Installation {
    return {
      oauthId: row.oauth_id,
      oauthSecret: this.secrets.open(row.oauth_secret),
      groupId: row.group_id,
      roomId: row.room_id,
      capabilitiesUrl: row.capabilities_url,
      tokenUrl: row.token_url,
      apiUrl: row.api_url,
      hipchatBaseUrl: row.hipchat_base_url,
      scopes: row.scopes.split(' ').filter(Boolean),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
