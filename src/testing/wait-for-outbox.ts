import type { Db } from '../store/db';

interface PendingRow {
  operation: string;
  path: string;
  attempts: number;
  last_error: string | null;
}

/**
 * Resolves once the add-on's outbox holds nothing pending, i.e. every call it queued for HipChat's REST
 * API (notifications, glance updates) was answered. Rejects after timeoutMs naming what is still queued,
 * e.g. because a fault injected into the emulator keeps HipChat answering 503.
 */
export async function waitForOutbox(db: Db, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<PendingRow>(
      `SELECT operation, path, attempts, last_error FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 5`,
    );
    if (rows.length === 0) return;
    if (Date.now() >= deadline) throw new Error(describePending(rows, timeoutMs));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function describePending(rows: PendingRow[], timeoutMs: number): string {
  const lines = rows.map(
    (row) => `  ${row.operation} ${row.path} (${row.attempts} attempt(s)${row.last_error ? `, last error: ${row.last_error}` : ''})`,
  );
  return `test kit: the add-on's outbox still had calls for HipChat pending after ${timeoutMs} ms:\n${lines.join('\n')}\n` +
    'Pass { outboxTimeoutMs } to wait longer, or { waitForOutbox: false } when HipChat is meant to be unreachable.';
}
