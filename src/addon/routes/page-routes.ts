import { Router, type Response } from 'express';
import { hipchatContext, requireJwt } from '../../hipchat/jwt/require-jwt';
import type { JwtVerifier } from '../../hipchat/jwt/jwt-verifier';
import type { RoomAdminAuthority } from '../../hipchat/authz/room-admin-authority';
import { configureAccess } from '../pages/configure-access';
import { configureBody } from '../pages/configure-page';
import { dialogBody } from '../pages/dialog-page';
import { renderPage } from '../pages/page-layout';
import { pageCsp, trustedHipChatOrigin } from '../pages/page-security';
import { sidebarBody } from '../pages/sidebar-page';
import { MAX_TASK_TEXT } from '../tasks/task';
import type { TaskService } from '../tasks/task-service';
import { roomScope } from './room-scope';

/** The pages HipChat frames (sidebar, dialog, configuration), each loaded with signed_request. */
export function pageRoutes(deps: {
  jwt: JwtVerifier;
  tasks: TaskService;
  allowedHosts: readonly string[];
  roomAdmins: Pick<RoomAdminAuthority, 'decide'>;
}): Router {
  const router = Router();
  const jwt = requireJwt(deps.jwt);

  const send = (res: Response, title: string, script: string, body: string) => {
    const context = hipchatContext(res);
    // The CSP names HipChat's origin; all.js is loaded from its base URL, path included (HipChat Server).
    const hipchatOrigin = trustedHipChatOrigin(context.installation.hipchatBaseUrl, deps.allowedHosts);
    const hipchatBaseUrl = hipchatOrigin ? context.installation.hipchatBaseUrl : undefined;
    res.removeHeader('X-Frame-Options');
    res
      .set('Content-Security-Policy', pageCsp({ allowedHosts: deps.allowedHosts, hipchatOrigin }))
      // The page carries a JWT: never cached, never sent on as a referrer.
      .set('Cache-Control', 'no-store')
      .set('Referrer-Policy', 'no-referrer')
      .type('html')
      .send(renderPage({ title, hipchatBaseUrl, token: context.token, script, body }));
  };

  router.get('/sidebar', jwt, async (req, res) => {
    const tasks = await deps.tasks.list(roomScope(req, res), { all: false });
    send(res, 'Tasks', 'sidebar.js', sidebarBody(tasks));
  });

  router.get('/dialog/create-task', jwt, (req, res) => {
    roomScope(req, res);
    const raw = typeof req.query.text === 'string' ? req.query.text : '';
    send(res, 'Create a task', 'dialog.js', dialogBody([...raw].slice(0, MAX_TASK_TEXT).join('')));
  });

  router.get('/configure', jwt, async (_req, res) => {
    const context = hipchatContext(res);
    const [settings, access] = await Promise.all([deps.tasks.settings(context.oauthId), configureAccess(deps.roomAdmins, context)]);
    const hookRoom = { global: context.installation.roomId === null, contextRoomId: context.roomId };
    send(res, 'Tasks settings', 'configure.js', configureBody(settings, hookRoom, access));
  });
  return router;
}
