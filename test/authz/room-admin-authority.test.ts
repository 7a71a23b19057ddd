import type { ApiRequest, ApiResult } from '../../src/hipchat/api/hipchat-client';
import { RoomAdminAuthority } from '../../src/hipchat/authz/room-admin-authority';
import type { Installation } from '../../src/hipchat/installations/installation';
import type { HipChatContext } from '../../src/hipchat/jwt/hipchat-context';
import { HttpError } from '../../src/shared/errors';

/** The authority with HipChat's answers scripted (its transport and token service are its only dependencies). */
function setup(answer: (request: ApiRequest) => Partial<ApiResult>) {
  const asked: string[] = [];
  const invalidated: Array<string | undefined> = [];
  let notify: (oauthId: string) => void = () => undefined;
  const authority = new RoomAdminAuthority(
    {
      tokens: {
        getToken: async () => ({ accessToken: 'token-1', expiresAt: new Date(), refreshAt: new Date() }),
        invalidate: async (_oauthId: string, token?: string) => void invalidated.push(token),
      },
      client: {
        call: async (_auth, request) => {
          asked.push(request.path);
          return { status: 200, ok: true, body: undefined, ...answer(request) } as ApiResult;
        },
      },
      subscribe: async (onChange) => {
        notify = onChange;
        return async () => undefined;
      },
    },
    { adminTtlMs: 60_000, nonAdminTtlMs: 30_000 },
  );
  const installation = { oauthId: 'inst-1', roomId: null, apiUrl: 'http://127.0.0.1:9/v2/' } as Installation;
  const context = (userId: string | null, roomId: number | null = 100): HipChatContext =>
    ({ installation, oauthId: 'inst-1', groupId: 1, roomId, userId, userTz: null, token: 't' }) as HipChatContext;
  return { authority, asked, invalidated, context, notify: (oauthId: string) => notify(oauthId) };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(HttpError);
  return { status: (error as HttpError).status, code: (error as HttpError).code };
};

describe('RoomAdminAuthority', () => {
  it('treats a malformed answer from HipChat as no answer: refused with 503, never read as an admin', async () => {
    const { authority, context } = setup(() => ({ body: { id: 7, is_group_admin: 'yes' } }));
    await authority.start();
    expect(await refusal(authority.require(context('7'), 100))).toEqual({ status: 503, code: 'admin_check_unavailable' });
  });

  it('an unknown user (404) is an ordinary member, and the answer is cached', async () => {
    const { authority, asked, context } = setup((request) =>
      request.path.startsWith('user/') ? { status: 404, ok: false } : { body: { id: 100, owner: { id: 8 } } },
    );
    await authority.start();
    expect(await refusal(authority.require(context('7'), 100))).toEqual({ status: 403, code: 'not_room_admin' });
    expect(await refusal(authority.require(context('7'), 100))).toEqual({ status: 403, code: 'not_room_admin' });
    expect(asked).toEqual(['user/7', 'room/100']);
  });

  it('forgets a token HipChat refused (401) and refuses the request', async () => {
    const { authority, invalidated, context } = setup(() => ({ status: 401, ok: false, errorMessage: 'HTTP 401: Invalid OAuth session' }));
    await authority.start();
    expect(await refusal(authority.decide(context('7'), 100))).toEqual({ status: 503, code: 'admin_check_unavailable' });
    expect(invalidated).toEqual(['token-1']);
  });

  it('caches nothing until it hears of uninstalls, and drops what it cached when one is announced', async () => {
    const { authority, asked, context, notify } = setup(() => ({ body: { id: 7, is_group_admin: true } }));
    await authority.decide(context('7'), null);
    await authority.decide(context('7'), null);
    expect(asked).toHaveLength(2);
    await authority.start();
    await authority.decide(context('7'), null);
    await authority.decide(context('7'), null);
    expect(asked).toHaveLength(3);
    notify('inst-1');
    expect(authority.cachedAnswers('inst-1')).toBe(0);
    await authority.decide(context('7'), null);
    expect(asked).toHaveLength(4);
  });

  it('a JWT without a user is refused without asking HipChat', async () => {
    const { authority, asked, context } = setup(() => ({ body: { id: 7, is_group_admin: true } }));
    await authority.start();
    expect(await refusal(authority.require(context(null), 100))).toEqual({ status: 403, code: 'not_room_admin' });
    expect(asked).toEqual([]);
  });
});
