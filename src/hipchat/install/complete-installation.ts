import { HttpError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { Db } from '../../store/db';
import type { Installation } from '../installations/installation';
import type { InstallationStore } from '../installations/installation-store';
import { checkReinstall, type InstallFlow } from './check-reinstall';
import type { InstallRequest } from './install-request';
import { verifyInstallation, verifyReinstallation, type VerifyInstallationDeps } from './verify-installation';

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
 * Install and update: verifies the request and only then stores it, in one transaction, so the caller
 * answers 200 only once the installation is durable. A new oauthId is verified in full (trusted hosts,
 * links.self, credentials proven); a stored one may be replaced only from its own HipChat and group
 * (checkReinstall), with the new credentials proven at its stored token URL. Saving also cancels any
 * pending uninstall check for the oauthId.
 */
export async function completeInstallation(request: InstallRequest, flow: InstallFlow, deps: CompleteInstallationDeps): Promise<InstallResult> {
  const stored = await deps.installations.get(request.oauthId);
  if (stored) refuseUnlessSameHome(stored, request, flow);
  const verified = stored ? await verifyReinstallation(request, stored, deps) : await verifyInstallation(request, deps);
  const result = await deps.db.transaction(async (tx): Promise<InstallResult> => {
    // Decided again under the row lock: the row may have appeared or changed while HipChat was asked.
    const current = await deps.installations.getForUpdate(request.oauthId, tx);
    if (current) {
      refuseUnlessSameHome(current, request, flow);
      if (current.tokenUrl !== verified.tokenUrl) throw changedMeanwhile();
      return { installation: await deps.installations.save(verified, tx), kind: 'replaced' };
    }
    const inserted = await deps.installations.insert(verified, tx);
    if (!inserted) throw changedMeanwhile();
    return { installation: inserted, kind: 'new' };
  });
  const { oauthId, groupId, roomId } = result.installation;
  deps.logger.info({ oauthId, groupId, roomId, kind: result.kind }, result.kind === 'new' ? 'installed' : 'installation updated');
  return result;
}

function refuseUnlessSameHome(stored: Installation, request: InstallRequest, flow: InstallFlow): void {
  const refusal = checkReinstall(stored, request, flow);
  if (refusal) throw refusal;
}

function changedMeanwhile(): HttpError {
  return new HttpError(409, 'installation_changed', 'The installation changed while this request was verified; try again');
}
