import type { EmulatorState } from '../model/emulator-state';
import type { AccessToken, AddonSender } from '../model/types';

/** Who a notification appears from: the `from` label if given, else the add-on's fromName or name. */
export function senderForToken(state: EmulatorState, token: AccessToken, label?: string): AddonSender {
  if (token.kind === 'room-notification') {
    const integration = token.integrationId ? state.integrations.get(token.integrationId) : undefined;
    return { kind: 'addon', label: label || integration?.name || 'Integration', ...(token.integrationId ? { integrationId: token.integrationId } : {}) };
  }
  const installation = token.oauthId ? state.installations.get(token.oauthId) : undefined;
  const fallback = installation?.descriptor.capabilities?.hipchatApiConsumer?.fromName ?? installation?.addonName ?? 'Add-on';
  return {
    kind: 'addon',
    label: label || fallback,
    ...(installation ? { oauthId: installation.oauthId, addonKey: installation.addonKey } : {}),
  };
}
