import type { EmulatorContext } from '../emulator-context';
import { validateGlanceContent } from '../api/validate-glance-content';
import type { StoredGlance } from '../model/types';
import { signHipChatJwt } from './sign-hipchat-jwt';
import { describeFailure, sendHttpRequest } from './send-http-request';

export class GlanceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GlanceError';
  }
}

/**
 * What HipChat's client did on sidebar load: GET `queryUrl?signed_request=<jwt>` cross-origin (so
 * with an Origin header), validate the answer and keep it as the glance's current value.
 */
export async function queryGlance(ctx: EmulatorContext, oauthId: string, roomId: number, userId: number, glanceKey: string): Promise<StoredGlance> {
  const installation = ctx.state.installations.get(oauthId);
  if (!installation) throw new GlanceError(`No installation ${oauthId}`);
  const glance = (installation.descriptor.capabilities?.glance ?? []).find((entry) => entry.key === glanceKey);
  if (!glance?.queryUrl) throw new GlanceError(`Installation ${oauthId} declares no glance "${glanceKey}" with a queryUrl`);
  if (!ctx.state.installationsForRoom(roomId).some((entry) => entry.oauthId === oauthId)) {
    throw new GlanceError(`Installation ${oauthId} is not installed in room ${roomId}`);
  }
  const url = new URL(glance.queryUrl);
  url.searchParams.set('signed_request', signHipChatJwt({ issuer: oauthId, secret: installation.oauthSecret, userId, roomId }));
  let response;
  try {
    response = await sendHttpRequest(url.toString(), {
      method: 'GET',
      headers: { Accept: 'application/json', Origin: ctx.baseUrl() },
      timeoutMs: ctx.settings.webhookTimeoutMs,
    });
  } catch (error) {
    throw new GlanceError(`Glance query failed: ${describeFailure(error)}`);
  }
  if (response.status !== 200) throw new GlanceError(`Glance query answered ${response.status}`, response.status);
  const content = validateGlanceContent(response.json);
  if (!content.ok) throw new GlanceError(`Glance answer refused: ${content.message}`, response.status);
  return ctx.state.setGlance({ oauthId, roomId, key: glanceKey, content: content.value, source: 'query' });
}
