import type { AxiosInstance } from 'axios';
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../../shared/logger';
import { parseInput } from '../../shared/validate';
import type { Db } from '../../store/db';
import { descriptorScopes, type Descriptor } from '../descriptor/render-descriptor';
import type { InstallationStore } from '../installations/installation-store';
import type { InstallFlow } from './check-reinstall';
import { completeInstallation, type CompleteInstallationDeps, type InstallResult } from './complete-installation';
import { fetchInstallableDocument, fetchInstallableOauthId } from './fetch-installable-document';
import { installRequestSchema, oauthIdSchema } from './install-request';
import { UninstallService, type UninstallOutcome } from './uninstall-service';
import { requireTrusted } from './verify-installation';

/** Counters the routes report to (the app's Metrics satisfies this). */
export interface InstallMetrics {
  installs: { inc(labels: { kind: string }): void };
  uninstalls: { inc(labels: { outcome: string }): void };
}

export interface InstallRoutesDeps {
  config: { allowedHosts: string[]; uninstallRecheckSeconds: number[]; uninstallProbeIntervalSeconds: number };
  db: Db;
  http: AxiosInstance;
  logger: Logger;
  installations: InstallationStore;
  descriptor: Descriptor;
  metrics: InstallMetrics;
}

export const INSTALLABLE_PATH = '/installable';

const browserQuerySchema = z.object({
  installable_url: z.string({ error: 'is required' }).min(1, 'is required'),
  redirect_url: z.string({ error: 'is required' }).min(1, 'is required'),
});

/**
 * HipChat's installation lifecycle: install (POST /installable), update (POST /installable/updated),
 * uninstall (DELETE /installable/{oauthId}) and the browser-redirect flow under /installable/browser/.
 * Routes parse, call the install/uninstall services, and map the result to HTTP and metrics.
 */
export function installRoutes(deps: InstallRoutesDeps): Router {
  const router = Router();
  const installDeps: CompleteInstallationDeps = {
    db: deps.db,
    http: deps.http,
    logger: deps.logger,
    installations: deps.installations,
    allowedHosts: deps.config.allowedHosts,
    scopes: descriptorScopes(deps.descriptor),
  };
  const uninstalls = new UninstallService({
    db: deps.db,
    http: deps.http,
    logger: deps.logger,
    installations: deps.installations,
    recheckSeconds: deps.config.uninstallRecheckSeconds,
    probeIntervalSeconds: deps.config.uninstallProbeIntervalSeconds,
  });
  const countInstall = (result: InstallResult) => deps.metrics.installs.inc({ kind: result.kind === 'new' ? 'install' : 'update' });
  const countUninstall = (outcome: UninstallOutcome) => deps.metrics.uninstalls.inc({ outcome });

  const postPaths: Array<[string, InstallFlow]> = [
    [INSTALLABLE_PATH, 'install'],
    [`${INSTALLABLE_PATH}/updated`, 'update'],
  ];
  for (const [path, flow] of postPaths) {
    router.post(path, async (req, res) => {
      const request = parseInput(installRequestSchema, req.body);
      const result = await completeInstallation(request, flow, installDeps);
      countInstall(result);
      const { oauthId, groupId, roomId } = result.installation;
      res.status(200).json({ oauthId, groupId, roomId });
    });
  }

  router.delete(`${INSTALLABLE_PATH}/:oauthId`, async (req, res) => {
    const oauthId = parseInput(oauthIdSchema, req.params.oauthId, 'oauthId');
    const outcome = await uninstalls.requestUninstall(oauthId);
    countUninstall(outcome);
    answerUninstall(res, oauthId, outcome);
  });

  const browserPages: Array<[string, InstallFlow]> = [
    ['installed', 'install'],
    ['updated', 'update'],
  ];
  for (const [page, flow] of browserPages) {
    router.get(`${INSTALLABLE_PATH}/browser/${page}`, async (req, res) => {
      const { installableUrl, redirectUrl } = browserUrls(req.query, deps.config.allowedHosts);
      const request = await fetchInstallableDocument(deps.http, installableUrl);
      countInstall(await completeInstallation(request, flow, installDeps));
      res.redirect(302, redirectUrl);
    });
  }

  router.get(`${INSTALLABLE_PATH}/browser/uninstalled`, async (req, res) => {
    const { installableUrl, redirectUrl } = browserUrls(req.query, deps.config.allowedHosts);
    const oauthId = await fetchInstallableOauthId(deps.http, installableUrl);
    const outcome = await uninstalls.requestUninstall(oauthId);
    countUninstall(outcome);
    deps.logger.info({ oauthId, outcome }, 'browser uninstall handled');
    res.redirect(302, redirectUrl);
  });

  return router;
}

/** Both URLs are checked before anything is fetched: an unchecked redirect_url would be an open redirect. */
function browserUrls(query: unknown, allowedHosts: string[]): { installableUrl: string; redirectUrl: string } {
  const parsed = parseInput(browserQuerySchema, query, 'query');
  const redirectUrl = requireTrusted(parsed.redirect_url, 'redirect_url', allowedHosts).toString();
  const installableUrl = requireTrusted(parsed.installable_url, 'installable_url', allowedHosts).toString();
  return { installableUrl, redirectUrl };
}

function answerUninstall(res: Response, oauthId: string, outcome: UninstallOutcome): void {
  switch (outcome) {
    case 'removed':
    case 'unknown':
      res.status(204).end();
      return;
    case 'pending':
      res.status(202).json({
        oauthId,
        status: 'pending',
        message: 'HipChat has not confirmed that this OAuth client is gone; the installation is removed once it does',
      });
      return;
    case 'deferred':
      res.status(202).json({
        oauthId,
        status: 'pending',
        message: 'HipChat was asked about this OAuth client moments ago; this request joins the pending check',
      });
      return;
    case 'unconfirmed':
      res.status(202).json({
        oauthId,
        status: 'unconfirmed',
        message: 'HipChat still accepts this OAuth client, so the installation stays',
      });
  }
}
