import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../emulator-context';
import { randomToken } from '../model/token-store';
import type { BuildYourOwnIntegration } from '../model/types';

/** A room notification token lasts about a year, like those HipChat's UI created. */
const ROOM_TOKEN_LIFETIME_MS = 365 * 24 * 3600 * 1000;

export interface IntegrationOptions {
  name?: string;
  slashCommand?: { command: string; url: string };
}

/**
 * A build-your-own integration: a room notification token (send_notification, that room only),
 * its notification URL, a per-integration secret that signs slash-command posts, and the command.
 */
export function createIntegration(ctx: EmulatorContext, roomId: number, options: IntegrationOptions = {}): BuildYourOwnIntegration {
  const room = ctx.state.requireRoom(roomId);
  const id = randomUUID();
  const integration: BuildYourOwnIntegration = { id, roomId, name: options.name ?? 'Build your own integration', token: '', secret: randomToken(40), notificationUrl: '' };
  if (options.slashCommand) integration.slashCommand = options.slashCommand;
  ctx.state.integrations.set(id, integration);
  integration.token = ctx.tokens.issue({
    kind: 'room-notification',
    integrationId: id,
    groupId: room.groupId,
    roomId,
    scopes: ['send_notification'],
    expiresAt: ctx.now() + ROOM_TOKEN_LIFETIME_MS,
  }).token;
  integration.notificationUrl = `${ctx.baseUrl()}/v2/room/${roomId}/notification?auth_token=${integration.token}`;
  return { ...integration };
}
