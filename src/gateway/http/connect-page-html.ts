/** The /connect page. Static: everything it shows comes from the JSON API through connect-page-script. */
export function connectPageHtml(options: { adminEnabled: boolean }): string {
  const adminNote = options.adminEnabled
    ? ''
    : '<p class="warning" role="alert">The admin token is disabled on this server: set <code>ADMIN_TOKEN</code> and restart to use this page.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connect a HipChat room</title>
<link rel="stylesheet" href="/connect/connect.css">
<script src="/connect/connect.js" defer></script>
</head>
<body>
<main>
<h1>Connect a HipChat room</h1>
<p>Send notifications and incoming hooks to a room without installing the add-on, using a room notification token.
In HipChat, a room admin creates one under <em>Integrations → Build your own</em>.</p>
${adminNote}
<section>
<h2>Admin token</h2>
<label>ADMIN_TOKEN of this server <input id="admin-token" type="password" autocomplete="current-password" required></label>
<button type="button" id="load">Show connected rooms and hooks</button>
</section>

<section>
<h2>Connect a room</h2>
<form id="connect-url">
<fieldset>
<legend>Paste the integration's notification URL</legend>
<label>Notification URL <input name="notificationUrl" type="url" placeholder="https://api.hipchat.com/v2/room/123/notification?auth_token=…" required></label>
<button type="submit">Connect</button>
</fieldset>
</form>
<form id="connect-token">
<fieldset>
<legend>Or enter a room notification token</legend>
<label>HipChat URL <input name="hipchatUrl" type="url" placeholder="https://api.hipchat.com" required></label>
<label>Room id or name <input name="room" required></label>
<label>Room notification token <input name="token" type="password" autocomplete="off" required></label>
<button type="submit">Connect</button>
</fieldset>
</form>
<div id="connect-result" class="result" aria-live="polite"></div>
</section>

<section>
<h2>Connected rooms</h2>
<table id="connections"><thead><tr><th>Room</th><th>HipChat</th><th>Connected</th><th></th></tr></thead><tbody></tbody></table>
</section>

<section>
<h2>Incoming hooks</h2>
<form id="new-hook">
<label>Room <select name="connectionId" required></select></label>
<label>Label <input name="label" maxlength="100" placeholder="optional"></label>
<button type="submit">Create hook</button>
</form>
<div id="hook-result" class="result" aria-live="polite"></div>
<table id="hooks"><thead><tr><th>Label</th><th>Room</th><th>Created</th><th></th></tr></thead><tbody></tbody></table>
</section>
</main>
</body>
</html>
`;
}

export const CONNECT_PAGE_CSS = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #172b4d; }
main { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
section { background: #fff; border-radius: 6px; padding: 1rem 1.25rem; margin: 1rem 0; box-shadow: 0 1px 2px rgba(0,0,0,.1); }
h1 { font-size: 1.6rem; } h2 { font-size: 1.15rem; margin-top: 0; }
fieldset { border: 1px solid #dfe1e6; border-radius: 4px; margin: 0 0 1rem; }
label { display: block; margin: .5rem 0; }
input, select { display: block; width: 100%; box-sizing: border-box; padding: .4rem; margin-top: .2rem; font: inherit; }
button { font: inherit; padding: .4rem .9rem; border: 0; border-radius: 4px; background: #0052cc; color: #fff; cursor: pointer; }
button.danger { background: #de350b; }
table { width: 100%; border-collapse: collapse; margin-top: .5rem; }
th, td { text-align: left; padding: .3rem; border-bottom: 1px solid #dfe1e6; }
.result:empty { display: none; }
.result { margin-top: .75rem; padding: .6rem; border-radius: 4px; background: #e3fcef; overflow-wrap: anywhere; }
.result.error, .warning { background: #ffebe6; padding: .6rem; border-radius: 4px; }
code { background: #f4f5f7; padding: 0 .2rem; }
`;
