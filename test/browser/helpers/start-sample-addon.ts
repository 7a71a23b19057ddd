import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSecretKey } from 'node:crypto';
import express, { type Request } from 'express';
import jwt from 'jsonwebtoken';

/** What the sample add-on saw of a page load or API call, after verifying its JWT. */
export interface VerifiedCall {
  path: string;
  oauthId: string;
  userId: string;
  roomId?: number;
}

/**
 * A tiny throwaway add-on for the web client's tests: one glance, one sidebar webPanel, one dialog
 * with buttons, one message action and a configuration page. Its pages load the emulator's all.js
 * and exercise HipChat's JavaScript API; every page load and API call verifies the JWT.
 */
export interface SampleAddon {
  url: string;
  descriptorUrl: string;
  count: number;
  verified: VerifiedCall[];
  saved: unknown[];
  pushGlance(roomId: number): Promise<void>;
  close(): Promise<void>;
}

function page(emulatorUrl: string, title: string, body: string, script: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<script src="${emulatorUrl}/atlassian-connect/all.js"></script>
<style>body{font:14px sans-serif;margin:12px;color:#333}button{margin:2px 4px 2px 0}pre{white-space:pre-wrap;background:#f4f5f7;padding:6px}</style>
</head><body>${body}<script>${script}</script></body></html>`;
}

const PANEL_SCRIPT = `
function show(id, text) { document.getElementById(id).textContent = text; }
document.getElementById('token').onclick = function () {
  HipChat.auth.withToken(function (err, token) {
    if (err) return show('out', 'error: ' + err.message);
    fetch('/api/whoami', { headers: { Authorization: 'JWT ' + token } }).then(function (r) { return r.json(); }).then(function (me) { show('out', 'token for user ' + me.userId + ' in room ' + me.roomId); });
  });
};
document.getElementById('dialog').onclick = function () { HipChat.dialog.open({ key: 'sample-dialog', parameters: { from: 'panel' } }); };
document.getElementById('append').onclick = function () { HipChat.chat.appendMessage('hello from the panel'); };
HipChat.register({ 'receive-parameters': function (params) { show('params', JSON.stringify(params)); } });
`;

const DIALOG_SCRIPT = `
var params = null;
var input = document.getElementById('text');
input.oninput = function () { HipChat.dialog.updatePrimaryAction({ enabled: input.value.length > 0, name: 'Save "' + input.value + '"' }); };
HipChat.register({
  'receive-parameters': function (p) { params = p; document.getElementById('params').textContent = JSON.stringify(p); if (p && p.body) { input.value = p.body; input.oninput(); } },
  'dialog-button-click': function (event, closeDialog) {
    if (event.action !== 'save') return closeDialog(true);
    HipChat.auth.withToken(function (err, token) {
      fetch('/api/save', { method: 'POST', headers: { Authorization: 'JWT ' + token, 'Content-Type': 'application/json' }, body: JSON.stringify({ text: input.value, params: params }) })
        .then(function () { closeDialog(true); });
    });
  }
});
`;

export async function startSampleAddon(emulatorUrl: string): Promise<SampleAddon> {
  const app = express();
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const installations = new Map<string, string>();

  const verify = (req: Request, token: string | undefined): VerifiedCall => {
    const unverified = token ? (jwt.decode(token) as jwt.JwtPayload | null) : null;
    const secret = unverified?.iss ? installations.get(unverified.iss) : undefined;
    if (!token || !secret) throw new Error('unknown installation');
    const claims = jwt.verify(token, createSecretKey(Buffer.from(secret)), { algorithms: ['HS256'] }) as jwt.JwtPayload;
    const call = { path: req.path, oauthId: String(claims.iss), userId: String(claims.sub), roomId: (claims.context as { room_id?: number } | undefined)?.room_id };
    addon.verified.push(call);
    return call;
  };
  const fromQuery = (req: Request) => verify(req, typeof req.query.signed_request === 'string' ? req.query.signed_request : undefined);
  const fromHeader = (req: Request) => verify(req, /^JWT (.+)$/.exec(req.headers.authorization ?? '')?.[1]);

  const addon: SampleAddon = {
    url,
    descriptorUrl: `${url}/atlassian-connect.json`,
    count: 0,
    verified: [],
    saved: [],
    async pushGlance(roomId) {
      const [oauthId, secret] = [...installations][0] ?? [];
      if (!oauthId || !secret) throw new Error('the sample add-on is not installed');
      const tokenResponse = await fetch(`${emulatorUrl}/v2/oauth/token`, {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from(`${oauthId}:${secret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=send_notification',
      });
      const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
      const push = await fetch(`${emulatorUrl}/v2/addon/ui/room/${roomId}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ glance: [{ key: 'count', content: glanceContent(addon.count) }] }),
      });
      if (push.status !== 204) throw new Error(`glance push answered ${push.status}: ${await push.text()}`);
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  app.use(express.json());
  app.get('/atlassian-connect.json', (_req, res) => {
    res.json({
      key: 'com.example.sample',
      name: 'Sample',
      description: 'A throwaway add-on for the web client tests',
      vendor: { name: 'Tests', url },
      links: { self: addon.descriptorUrl, homepage: url },
      capabilities: {
        installable: { allowGlobal: true, allowRoom: true, callbackUrl: `${url}/installed` },
        hipchatApiConsumer: { scopes: ['send_notification'], fromName: 'Sample' },
        glance: [{ key: 'count', name: { value: 'Sample' }, queryUrl: `${url}/glance`, target: 'sample-panel', icon: { url: `${url}/icon.png`, 'url@2x': `${url}/icon.png` } }],
        webPanel: [{ key: 'sample-panel', name: { value: 'Sample panel' }, location: 'hipchat.sidebar.right', url: `${url}/panel` }],
        dialog: [
          {
            key: 'sample-dialog',
            title: { value: 'Sample dialog' },
            url: `${url}/dialog`,
            options: {
              size: { width: '480px', height: '220px' },
              primaryAction: { key: 'save', name: { value: 'Save' }, enabled: false },
              secondaryActions: [{ key: 'cancel', name: { value: 'Cancel' } }],
            },
          },
        ],
        action: [{ key: 'sample-action', name: { value: 'Quote it' }, target: 'sample-dialog', location: 'hipchat.message.action' }],
        configurable: { url: `${url}/configure` },
      },
    });
  });
  app.post('/installed', (req, res) => {
    const body = req.body as { oauthId: string; oauthSecret: string };
    installations.set(body.oauthId, body.oauthSecret);
    res.status(200).json({});
  });
  app.delete('/installed/:oauthId', (req, res) => {
    installations.delete(req.params.oauthId);
    res.status(204).end();
  });
  app.get('/icon.png', (_req, res) => {
    res.type('image/svg+xml').send('<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><rect width="24" height="24" rx="5" fill="#36b37e"/></svg>');
  });
  app.get('/glance', (req, res) => {
    fromQuery(req);
    res.json(glanceContent(addon.count));
  });
  app.get('/panel', (req, res) => {
    const call = fromQuery(req);
    res.send(page(emulatorUrl, 'Panel', `<p id="who">panel for user ${call.userId} in room ${call.roomId}</p>
<button id="token">Get token</button><button id="dialog">Open dialog</button><button id="append">Append</button>
<p id="out"></p><pre id="params"></pre>
<a id="away" href="${url.replace('127.0.0.1', 'localhost')}/impostor">Go to another origin</a>`, PANEL_SCRIPT));
  });
  // Same server, another origin (localhost vs 127.0.0.1): the client must ignore what this page sends.
  app.get('/impostor', (_req, res) => {
    res.send(page(emulatorUrl, 'Impostor', '<p id="state"></p><button id="back" onclick="history.back()">Back</button>',
      "HipChat.chat.appendMessage('from the impostor'); document.getElementById('state').textContent = 'impostor sent';"));
  });
  app.get('/dialog', (req, res) => {
    fromQuery(req);
    res.send(page(emulatorUrl, 'Dialog', '<label>Text <input id="text"></label><pre id="params"></pre>', DIALOG_SCRIPT));
  });
  app.get('/configure', (req, res) => {
    const call = fromQuery(req);
    res.send(page(emulatorUrl, 'Configure', `<h3>Sample configuration</h3><p id="who">configuring ${call.oauthId} as user ${call.userId}</p>`, ''));
  });
  app.get('/api/whoami', (req, res) => void res.json(fromHeader(req)));
  app.post('/api/save', (req, res) => {
    fromHeader(req);
    addon.saved.push(req.body);
    res.json({ ok: true });
  });
  app.use((error: Error, _req: Request, res: express.Response, _next: express.NextFunction) => void res.status(401).json({ error: error.message }));
  return addon;
}

function glanceContent(count: number) {
  return { label: { type: 'html', value: `<b>${count}</b> items` }, status: { type: 'lozenge', value: { label: count > 0 ? 'new' : 'empty', type: count > 0 ? 'current' : 'default' } } };
}
