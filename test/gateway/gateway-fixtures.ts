import request from 'supertest';
import type { RunningAddon } from '../../src/runtime';

export const ADMIN_TOKEN = 'admin-token-for-gateway-tests';
export const ENCRYPTION_KEY = 'a'.repeat(64);
export const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** Connects a room through the API with the admin token; resolves to the 201 body. */
export async function connectWithToken(
  addon: RunningAddon,
  input: { token: string; hipchatUrl: string; room: number | string },
): Promise<{ connection: { id: string; roomId: number }; commandUrl: string }> {
  const res = await request(addon.url).post('/api/connections').set(admin).send(input);
  if (res.status !== 201) throw new Error(`connect failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { connection: { id: string; roomId: number }; commandUrl: string };
}

export async function createHook(addon: RunningAddon, body: Record<string, unknown>, headers: Record<string, string> = admin) {
  const res = await request(addon.url).post('/api/hooks').set(headers).send(body);
  if (res.status !== 201) throw new Error(`hook creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { hook: { id: string; roomId: number; kind: string }; url: string };
}

/** The path of an absolute URL the add-on handed out (its BASE_URL is the test server's own URL). */
export const pathOf = (url: string) => new URL(url).pathname;

export async function countRows(addon: RunningAddon, table: string): Promise<number> {
  const { rows } = await addon.services.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return Number(rows[0]?.n ?? 0);
}
