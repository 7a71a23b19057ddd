import type { Db, Queryable } from './db';
import type { SecretBox } from './secret-box';

/** A column whose values SecretBox seals, and the columns that identify its row. */
export interface SealedColumn {
  table: string;
  column: string;
  key: string[];
}

/**
 * The core's columns written with SecretBox.seal. A module declares its own (AddonModule.sealedColumns);
 * start-up seals both lists.
 */
export const CORE_SEALED_COLUMNS: SealedColumn[] = [
  { table: 'installations', column: 'oauth_secret', key: ['oauth_id'] },
  { table: 'access_tokens', column: 'access_token', key: ['oauth_id', 'scopes'] },
];

/** An arbitrary constant (next to the migrations' one): instances starting together seal one at a time. */
const SEAL_LOCK_ID = 7_384_212;

/** Stored secrets that no configured key opens; start-up stops with this one-line message. */
export class UnreadableSecretsError extends Error {
  constructor(counts: Map<string, number>, hasPrevious: boolean, hasKey: boolean) {
    const where = [...counts].map(([column, n]) => `${n} in ${column}`).join(', ');
    super(
      !hasKey
        ? `Stored secrets are encrypted (${where}) but ENCRYPTION_KEY is not set`
        : hasPrevious
          ? `Stored secrets open with neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS (${where}); is ENCRYPTION_KEY_PREVIOUS the key they were sealed with?`
          : `Stored secrets do not open with ENCRYPTION_KEY (${where}); when rotating, set ENCRYPTION_KEY_PREVIOUS to the old key`,
    );
    this.name = 'UnreadableSecretsError';
  }
}

/**
 * Seals with the current key every stored secret that is plain text or sealed with the previous key,
 * at start. One transaction under an advisory lock: instances starting together take turns, the
 * second finds nothing left to do, and a secret no key opens rolls everything back (nothing half-done).
 * Each update only replaces the value it read, so a row a running instance rewrote meanwhile is kept.
 * Returns how many values were sealed again, per column.
 */
export async function sealStoredSecrets(db: Db, secrets: SecretBox, columns: readonly SealedColumn[] = CORE_SEALED_COLUMNS): Promise<Record<string, number>> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK_ID]);
    const resealed: Record<string, number> = {};
    const unreadable = new Map<string, number>();
    for (const sealed of columns) {
      const name = `${sealed.table}.${sealed.column}`;
      const { done, failed } = await sealColumn(tx, secrets, sealed);
      if (done > 0) resealed[name] = done;
      if (failed > 0) unreadable.set(name, failed);
    }
    if (unreadable.size > 0) throw new UnreadableSecretsError(unreadable, secrets.hasPreviousKey, secrets.encrypts);
    return resealed;
  });
}

async function sealColumn(tx: Queryable, secrets: SecretBox, { table, column, key }: SealedColumn): Promise<{ done: number; failed: number }> {
  const { rows } = await tx.query<Record<string, string>>(`SELECT ${key.join(', ')}, ${column} AS sealed FROM ${table}`);
  const where = [...key, column].map((name, i) => `${name} = $${i + 2}`).join(' AND ');
  let done = 0;
  let failed = 0;
  for (const row of rows) {
    const value = row.sealed as string;
    let opened;
    try {
      opened = secrets.openWithKey(value);
    } catch {
      failed += 1;
      continue;
    }
    // Without a key there is nothing to seal with: plain rows stay plain (ALLOW_PLAINTEXT_SECRETS, development).
    if (opened.sealedWith === 'current' || !secrets.encrypts) continue;
    const params = [secrets.seal(opened.plaintext), ...key.map((name) => row[name]), value];
    const { rowCount } = await tx.query(`UPDATE ${table} SET ${column} = $1 WHERE ${where}`, params);
    done += rowCount;
  }
  return { done, failed };
}
