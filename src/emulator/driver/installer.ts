import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../emulator-context';
import { validateDescriptor } from '../descriptor/validate-descriptor';
import { randomToken } from '../model/token-store';
import { isScope, type AddonDescriptor, type Installation } from '../model/types';
import { describeFailure, sendHttpRequest, type OutboundResponse } from './send-http-request';

/** Why an install, update or uninstall failed; `addonStatus`/`addonBody` carry the add-on's answer. */
export class InstallError extends Error {
  constructor(
    message: string,
    readonly details: { errors?: string[]; addonStatus?: number; addonBody?: string } = {},
  ) {
    super(message);
    this.name = 'InstallError';
  }
}

export interface InstallOptions {
  roomId?: number;
  groupId?: number;
}

async function fetchDescriptor(ctx: EmulatorContext, descriptorUrl: string): Promise<AddonDescriptor> {
  let response: OutboundResponse;
  try {
    response = await sendHttpRequest(descriptorUrl, { method: 'GET', headers: { Accept: 'application/json' }, timeoutMs: ctx.settings.webhookTimeoutMs });
  } catch (error) {
    throw new InstallError(`Could not fetch the descriptor at ${descriptorUrl}: ${describeFailure(error)}`);
  }
  if (response.status !== 200) {
    throw new InstallError(`Descriptor at ${descriptorUrl} answered ${response.status}`, { addonStatus: response.status, addonBody: response.text.slice(0, 2000) });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.text);
  } catch {
    throw new InstallError(`Descriptor at ${descriptorUrl} is not JSON`);
  }
  const validation = validateDescriptor(parsed);
  if (!validation.ok) throw new InstallError(`Descriptor refused:\n  ${validation.errors.join('\n  ')}`, { errors: validation.errors });
  return validation.descriptor;
}

function installableDocument(ctx: EmulatorContext, installation: Installation): Record<string, unknown> {
  return {
    capabilitiesUrl: `${ctx.baseUrl()}/v2/capabilities`,
    oauthId: installation.oauthId,
    oauthSecret: installation.oauthSecret,
    groupId: installation.groupId,
    ...(installation.roomId !== undefined ? { roomId: installation.roomId } : {}),
  };
}

/**
 * The browser flow, without a browser: publish a one-time `installable_url`, GET the add-on's page
 * with `installable_url` and `redirect_url`, and expect a 302 to `redirect_url` after the add-on
 * fetched the document.
 */
async function runBrowserFlow(ctx: EmulatorContext, pageUrl: string, document: Record<string, unknown>): Promise<void> {
  const id = randomToken(32);
  ctx.installables.set(id, document);
  const installableUrl = `${ctx.baseUrl()}/_installable/${id}`;
  const redirectUrl = `${ctx.baseUrl()}/_emulator/browser/done`;
  const url = new URL(pageUrl);
  url.searchParams.set('installable_url', installableUrl);
  url.searchParams.set('redirect_url', redirectUrl);
  let response: OutboundResponse;
  try {
    response = await sendHttpRequest(url.toString(), { method: 'GET', redirect: 'manual', timeoutMs: ctx.settings.webhookTimeoutMs });
  } catch (error) {
    ctx.installables.delete(id);
    throw new InstallError(`Could not reach ${pageUrl}: ${describeFailure(error)}`);
  }
  const fetched = !ctx.installables.has(id);
  ctx.installables.delete(id);
  const location = response.headers.get('location');
  const target = location ? new URL(location, pageUrl).toString() : undefined;
  if (response.status !== 302 || target !== redirectUrl) {
    throw new InstallError(`${pageUrl} answered ${response.status} (location ${location ?? 'none'}); expected a 302 to redirect_url`, {
      addonStatus: response.status,
      addonBody: response.text.slice(0, 2000),
    });
  }
  if (!fetched) throw new InstallError(`${pageUrl} redirected without fetching installable_url`);
}

async function postCallback(ctx: EmulatorContext, url: string, document: Record<string, unknown>): Promise<void> {
  let response: OutboundResponse;
  try {
    response = await sendHttpRequest(url, { method: 'POST', json: document, timeoutMs: ctx.settings.webhookTimeoutMs });
  } catch (error) {
    throw new InstallError(`Could not reach ${url}: ${describeFailure(error)}`);
  }
  // HipChat's schema: "The installation of the integration will only succeed if the POST response is a 200."
  if (response.status !== 200) {
    throw new InstallError(`${url} answered ${response.status}; HipChat requires 200`, { addonStatus: response.status, addonBody: response.text.slice(0, 2000) });
  }
}

/** Installs the add-on whose descriptor is at `descriptorUrl`, globally or in `roomId`. */
export async function installAddon(ctx: EmulatorContext, descriptorUrl: string, options: InstallOptions = {}): Promise<Installation> {
  const descriptor = await fetchDescriptor(ctx, descriptorUrl);
  const installable = descriptor.capabilities?.installable ?? {};
  const room = options.roomId !== undefined ? ctx.state.rooms.get(options.roomId) : undefined;
  if (options.roomId !== undefined && !room) throw new InstallError(`No room with id ${options.roomId}`);
  if (room && installable.allowRoom === false) throw new InstallError('The add-on does not allow room installation (allowRoom: false)');
  if (!room && installable.allowGlobal === false) throw new InstallError('The add-on does not allow global installation (allowGlobal: false)');
  const installation: Installation = {
    oauthId: randomUUID(),
    oauthSecret: randomToken(40),
    groupId: room?.groupId ?? options.groupId ?? ctx.state.defaultGroup.id,
    ...(room ? { roomId: room.id } : {}),
    descriptorUrl,
    descriptor,
    scopes: (descriptor.capabilities?.hipchatApiConsumer?.scopes ?? []).filter(isScope),
    addonKey: descriptor.key,
    addonName: descriptor.name,
    installedAt: new Date().toISOString(),
    active: false,
  };
  // The client exists (and can get tokens) before the callback: careful add-ons request one at once.
  ctx.state.addInstallation(installation);
  try {
    const document = installableDocument(ctx, installation);
    if (installable.callbackUrl) await postCallback(ctx, installable.callbackUrl, document);
    else if (installable.installedUrl) await runBrowserFlow(ctx, installable.installedUrl, document);
  } catch (error) {
    ctx.state.removeInstallation(installation.oauthId);
    ctx.tokens.revokeOwner({ oauthId: installation.oauthId });
    throw error;
  }
  ctx.state.activateInstallation(installation.oauthId);
  return installation;
}

/** Re-install keeping the oauthId: new secret, same fields, to updateCallbackUrl (or updatedUrl). */
export async function updateInstallation(ctx: EmulatorContext, oauthId: string): Promise<Installation> {
  const installation = ctx.state.installations.get(oauthId);
  if (!installation) throw new InstallError(`No installation ${oauthId}`);
  const descriptor = await fetchDescriptor(ctx, installation.descriptorUrl);
  const installable = descriptor.capabilities?.installable ?? {};
  if (!installable.updateCallbackUrl && !installable.updatedUrl) {
    throw new InstallError('The descriptor declares neither updateCallbackUrl nor updatedUrl; uninstall and install again instead');
  }
  const previous = { secret: installation.oauthSecret, descriptor: installation.descriptor, scopes: installation.scopes };
  installation.oauthSecret = randomToken(40);
  installation.descriptor = descriptor;
  installation.scopes = (descriptor.capabilities?.hipchatApiConsumer?.scopes ?? []).filter(isScope);
  try {
    const document = installableDocument(ctx, installation);
    if (installable.updateCallbackUrl) await postCallback(ctx, installable.updateCallbackUrl, document);
    else if (installable.updatedUrl) await runBrowserFlow(ctx, installable.updatedUrl, document);
  } catch (error) {
    installation.oauthSecret = previous.secret;
    installation.descriptor = previous.descriptor;
    installation.scopes = previous.scopes;
    throw error;
  }
  ctx.state.emit('installation', { installation, change: 'updated' });
  return installation;
}

export interface UninstallResult {
  oauthId: string;
  /** The add-on's answer to the DELETE (or the browser flow); HipChat ignored it. */
  addonStatus?: number;
  error?: string;
}

/** Sends the uninstall notice (DELETE {callbackUrl}/{oauthId}, or the uninstalledUrl browser flow) without revoking anything. */
export async function sendUninstallNotice(ctx: EmulatorContext, installation: Installation): Promise<UninstallResult> {
  const installable = installation.descriptor.capabilities?.installable ?? {};
  try {
    if (installable.callbackUrl) {
      const url = `${installable.callbackUrl.replace(/\/+$/, '')}/${encodeURIComponent(installation.oauthId)}`;
      const response = await sendHttpRequest(url, { method: 'DELETE', timeoutMs: ctx.settings.webhookTimeoutMs });
      return { oauthId: installation.oauthId, addonStatus: response.status };
    }
    if (installable.uninstalledUrl) {
      await runBrowserFlow(ctx, installable.uninstalledUrl, installableDocument(ctx, installation));
      return { oauthId: installation.oauthId, addonStatus: 302 };
    }
    return { oauthId: installation.oauthId, error: 'descriptor declares no callbackUrl or uninstalledUrl' };
  } catch (error) {
    return { oauthId: installation.oauthId, error: describeFailure(error) };
  }
}

/** Uninstall as HipChat did: revoke the OAuth client first (token requests now 401), then notify the add-on. */
export async function uninstallInstallation(ctx: EmulatorContext, oauthId: string): Promise<UninstallResult> {
  const installation = ctx.state.removeInstallation(oauthId);
  if (!installation) throw new InstallError(`No installation ${oauthId}`);
  ctx.tokens.revokeOwner({ oauthId });
  return sendUninstallNotice(ctx, installation);
}
