import type { Logger } from '../../shared/logger';
import type { Db } from '../../store/db';
import type { Installation } from '../installations/installation';
import type { InstallationStore } from '../installations/installation-store';
import type { InstallRequest } from './install-request';
import { verifyInstallation, type VerifyInstallationDeps } from './verify-installation';

export interface CompleteInstallationDeps extends VerifyInstallationDeps {
  db: Db;
  installations: InstallationStore;
  logger: Logger;
}

export interface InstallResult {
  installation: Installation;
  /** `new`: first time this oauthId is stored; `replaced`: a re-install or update of an existing one. */
  kind: 'new' | 'replaced';
}

/**
 * Install and update: verifies the request (trusted hosts, links.self, credentials proven) and only then
 * stores it, in one transaction, so the caller answers 200 only once the installation is durable.
 * Saving also cancels any pending uninstall check for the oauthId.
 */
export async function completeInstallation(request: InstallRequest, deps: CompleteInstallationDeps): Promise<InstallResult> {
  const verified = await verifyInstallation(request, deps);
  const result = await deps.db.transaction(async (tx): Promise<InstallResult> => {
    const existing = await deps.installations.get(verified.oauthId, tx);
    const installation = await deps.installations.save(verified, tx);
    return { installation, kind: existing ? 'replaced' : 'new' };
  });
  const { oauthId, groupId, roomId } = result.installation;
  deps.logger.info({ oauthId, groupId, roomId, kind: result.kind }, result.kind === 'new' ? 'installed' : 'installation updated');
  return result;
}
