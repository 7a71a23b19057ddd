import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { NewInstallation } from '../../src/hipchat/installations/installation';
import type { EmulatedHipChat } from '../helpers/hipchat-emulator';
import type { TestAddon } from '../helpers/test-addon';

/** The user jwtFor signs as unless told otherwise; tests that configure make them a group admin. */
export const MEMBER = '1001';

/**
 * Installs directly in the store (the install flow has its own tests). HipChat is a closed loopback port,
 * or `hipchat`, the emulator, which then knows the client (in its group) and answers who is an admin.
 */
export async function installTasks(addon: TestAddon, roomId: number | null = null, hipchat?: EmulatedHipChat): Promise<NewInstallation> {
  const origin = hipchat?.url ?? 'http://127.0.0.1:9';
  const installation: NewInstallation = {
    oauthId: crypto.randomUUID(),
    oauthSecret: crypto.randomBytes(20).toString('hex'),
    groupId: 7,
    roomId,
    capabilitiesUrl: `${origin}/v2/capabilities`,
    tokenUrl: `${origin}/v2/oauth/token`,
    apiUrl: `${origin}/v2/`,
    hipchatBaseUrl: origin,
    scopes: ['send_notification', 'view_group', 'view_room'],
  };
  hipchat?.addClient({ oauthId: installation.oauthId, oauthSecret: installation.oauthSecret, groupId: hipchat.groupId });
  await addon.services.installations.save(installation);
  return installation;
}

/** A JWT as HipChat signs it: HS256 with the installation's secret. */
export function jwtFor(inst: NewInstallation, roomId: number | null, userId = '1001'): string {
  const context = roomId === null ? {} : { context: { room_id: roomId, user_tz: 'Europe/Paris' } };
  return jwt.sign({ iss: inst.oauthId, sub: userId, jti: crypto.randomUUID(), ...context }, inst.oauthSecret, {
    algorithm: 'HS256',
    expiresIn: 300,
  });
}

export function webhookBody(inst: NewInstallation, roomId: number, message: string) {
  return {
    event: 'room_message',
    item: {
      message: { id: crypto.randomUUID(), date: new Date().toISOString(), message, type: 'message', mentions: [],
        from: { id: 1001, mention_name: 'ada', name: 'Ada Lovelace' } },
      room: { id: roomId, name: `Room ${roomId}` },
    },
    oauth_client_id: inst.oauthId,
    webhook_id: 1,
  };
}

/** Posts "/task …" as HipChat would and returns the reply (send-notification format). */
export async function command(addon: TestAddon, inst: NewInstallation, roomId: number, message: string) {
  const res = await request(addon.url)
    .post('/webhooks/task')
    .set('Authorization', `JWT ${jwtFor(inst, roomId)}`)
    .send(webhookBody(inst, roomId, message));
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { message: string; message_format: string; color: string; notify: boolean };
}

/** Calls queued for HipChat in a room, oldest first. */
export async function queued(addon: TestAddon, oauthId: string, roomId: number, operation: string) {
  const { rows } = await addon.services.db.query<{ body: { glance?: unknown[]; message?: string } & Record<string, unknown> }>(
    'SELECT body FROM outbox WHERE oauth_id = $1 AND room_id = $2 AND operation = $3 ORDER BY seq',
    [oauthId, roomId, operation],
  );
  return rows.map((row) => row.body);
}

/** The open counts pushed to a room's glance, in order. */
export async function glancePushes(addon: TestAddon, oauthId: string, roomId: number): Promise<number[]> {
  const bodies = await queued(addon, oauthId, roomId, 'room_glance');
  return bodies.map((body) => {
    const [glance] = body.glance as Array<{ key: string; content: { metadata: { openCount: number } } }>;
    if (glance?.key !== 'tasks') throw new Error('not the tasks glance');
    return glance.content.metadata.openCount;
  });
}
