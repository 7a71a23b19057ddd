import request from 'supertest';
import type { NewInstallation } from '../../src/hipchat/installations/installation';
import { installTasks, jwtFor, MEMBER, queued, webhookBody } from '../addon/tasks-fixtures';
import { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';

/** The webhook body is not signed: only the JWT's sub says who sent the message. */
let addon: TestAddon;
let inst: NewInstallation;
let hipchat: EmulatedHipChat;
/** A group admin; the emulator numbers users from 1000 (MEMBER, 1001, is an ordinary member named `User 1001`). */
const ADMIN = '1042';
const room = 300;

beforeAll(async () => {
  addon = await startTestAddon();
  hipchat = await EmulatedHipChat.start();
  hipchat.ensureUser(Number(MEMBER));
  hipchat.ensureUser(Number(ADMIN), { isGroupAdmin: true });
  inst = await installTasks(addon, null, hipchat);
  await request(addon.url)
    .put('/api/settings')
    .set('Authorization', `JWT ${jwtFor(inst, room, ADMIN)}`)
    .send({ announceNewTasks: true })
    .expect(200);
});
afterAll(async () => {
  await addon.destroy();
  await hipchat.close();
});

function messageFrom(from: Record<string, unknown> | undefined, text: string) {
  const body = webhookBody(inst, room, text);
  const message = body.item.message as Record<string, unknown>;
  if (from === undefined) delete message.from;
  else message.from = from;
  return body;
}

const post = (body: object, userId = MEMBER) =>
  request(addon.url).post('/webhooks/task').set('Authorization', `JWT ${jwtFor(inst, room, userId)}`).send(body);

const tasksIn = async () =>
  (await addon.services.db.query<{ text: string; created_by: string | null }>('SELECT text, created_by FROM tasks WHERE list_owner = $1 AND room_id = $2 ORDER BY number', [inst.oauthId, room])).rows;

describe("the sender of a webhook is the JWT's user", () => {
  it("a member's JWT with from {id: 1000, name: \"Group Owner\"} cannot create a task \"added by Group Owner\" under user 1000", async () => {
    const res = await post(messageFrom({ id: 1000, name: 'Group Owner', mention_name: 'owner' }, '/task add Wire the money'));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('sender_mismatch');
    expect(await tasksIn()).toEqual([]);
    const announced = await queued(addon, inst.oauthId, room, 'room_notification');
    expect(JSON.stringify(announced)).not.toContain('Group Owner');
    // Counted like every other refusal.
    const metrics = await request(addon.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/hipchat_jwt_refusals_total\{reason="sender_mismatch"\} 1/);
  });

  it("a member's body naming themselves \"Ada Lovelace\" is announced under the name HipChat gives them, never the body's", async () => {
    await post(messageFrom({ id: Number(MEMBER), name: 'Ada Lovelace', mention_name: 'ada' }, '/task add Approve the budget')).expect(200);
    expect(await tasksIn()).toContainEqual({ text: 'Approve the budget', created_by: MEMBER });
    const announced = (await queued(addon, inst.oauthId, room, 'room_notification')).map((body) => body.message);
    expect(announced).toContainEqual(expect.stringContaining(`Approve the budget (added by User ${MEMBER})`));
    expect(JSON.stringify(announced)).not.toContain('Ada Lovelace');
  });

  it('a body without a sender gets the JWT user, named by HipChat', async () => {
    await post(messageFrom(undefined, '/task add Anonymous body')).expect(200);
    expect(await tasksIn()).toContainEqual({ text: 'Anonymous body', created_by: MEMBER });
    const announced = await queued(addon, inst.oauthId, room, 'room_notification');
    expect(announced.map((body) => body.message)).toContainEqual(`<b>New task #2</b>: Anonymous body (added by User ${MEMBER})`);
  });

  it('a JWT without a user (sub) cannot vouch for any sender in the body', async () => {
    const noSub = (await import('jsonwebtoken')).default.sign(
      { iss: inst.oauthId, jti: 'x-no-sub', context: { room_id: room } },
      inst.oauthSecret,
      { algorithm: 'HS256', expiresIn: 300 },
    );
    const res = await request(addon.url)
      .post('/webhooks/task')
      .set('Authorization', `JWT ${noSub}`)
      .send(messageFrom({ id: 1000, name: 'Group Owner' }, '/task add Sneaky'));
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'sender_mismatch' });
  });
});

describe('the room of a webhook', () => {
  it('a global installation JWT without a room cannot make the add-on post into a room the body names, unless a group admin', async () => {
    const elsewhere = room + 1;
    const body = messageFrom({ id: Number(MEMBER), name: 'Mia Member' }, '/task add Spam elsewhere');
    body.item.room.id = elsewhere;
    const res = await request(addon.url).post('/webhooks/task').set('Authorization', `JWT ${jwtFor(inst, null)}`).send(body);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'not_room_admin' });
    expect(await queued(addon, inst.oauthId, elsewhere, 'room_notification')).toEqual([]);
    const adminBody = messageFrom({ id: Number(ADMIN), name: 'Ada Admin' }, '/task add By the admin');
    adminBody.item.room.id = elsewhere;
    await request(addon.url).post('/webhooks/task').set('Authorization', `JWT ${jwtFor(inst, null, ADMIN)}`).send(adminBody).expect(200);
  });
});
