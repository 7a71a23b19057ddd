import type { AxiosInstance } from 'axios';
import { parseInput } from '../../shared/validate';
import { fetchHipChatJson } from './fetch-hipchat-json';
import { installRequestSchema, oauthIdSchema, type InstallRequest } from './install-request';
import { z } from 'zod';

/**
 * The browser flow's one-time installable_url document: the same fields as the install POST body.
 * The URL must already have been checked as trusted.
 */
export async function fetchInstallableDocument(http: AxiosInstance, installableUrl: string): Promise<InstallRequest> {
  const document = await fetchHipChatJson(http, installableUrl, 'The installable_url document', { secretUrl: true });
  return parseInput(installRequestSchema, document, 'installable_url document');
}

/** For uninstall only the oauthId matters; the rest of the document may be incomplete. */
export async function fetchInstallableOauthId(http: AxiosInstance, installableUrl: string): Promise<string> {
  const document = await fetchHipChatJson(http, installableUrl, 'The installable_url document', { secretUrl: true });
  return parseInput(z.object({ oauthId: oauthIdSchema }, { error: 'must be a JSON object' }), document, 'installable_url document').oauthId;
}
