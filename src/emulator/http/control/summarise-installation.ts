import type { Installation } from '../../model/types';

/** What the control API shows of an installation: everything but its OAuth secret. */
export function summariseInstallation(installation: Installation) {
  const { oauthId, addonKey, addonName, groupId, roomId, scopes, descriptorUrl, active } = installation;
  return { oauthId, addonKey, addonName, groupId, roomId, scopes, descriptorUrl, active };
}
