import type { CredentialProvider, DeliveryTarget, ResolvedCredentials } from '../../hipchat/delivery/delivery-target';
import type { Logger } from '../../shared/logger';
import type { Queryable } from '../../store/db';
import type { ConnectionStore } from './connection-store';

/**
 * Credentials for notifications to token-connected rooms: the stored room token, opened from its
 * sealed form. Room tokens cannot be refreshed, so a 401 only records that HipChat refused it (the
 * connection list shows it); the connection is kept until someone deletes or reconnects it.
 */
export class RoomTokenCredentialProvider implements CredentialProvider {
  constructor(
    private readonly connections: ConnectionStore,
    private readonly logger: Logger,
  ) {}

  async resolve(target: DeliveryTarget): Promise<ResolvedCredentials | undefined> {
    if (target.kind !== 'room_token') return undefined;
    const credentials = await this.connections.credentials(target.connectionId);
    if (!credentials) return undefined;
    return {
      apiUrl: `${credentials.apiUrl.replace(/\/+$/, '')}/`,
      accessToken: credentials.token,
      // HipChat limits per token, so connections sharing a token share a budget.
      rateLimitKey: `room_token:${credentials.tokenHash}`,
    };
  }

  async apiUrl(target: DeliveryTarget, tx?: Queryable): Promise<string | undefined> {
    if (target.kind !== 'room_token') return undefined;
    return (await this.connections.get(target.connectionId, tx))?.apiUrl;
  }

  async invalidate(target: DeliveryTarget): Promise<void> {
    if (target.kind !== 'room_token') return;
    await this.connections.markTokenRefused(target.connectionId);
    this.logger.warn({ connectionId: target.connectionId, roomId: target.roomId }, 'HipChat refused a room notification token');
  }
}
