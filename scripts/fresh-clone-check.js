// What a new user does, timed: clone the repository into a temporary folder, `npm ci`, `npm start` on an
// empty embedded database, install the add-on into the emulator's demo room, `/task add` and see the
// reply, then a second `npm start` (nothing to build) that still has the task. `.ci/run` calls it;
// `npm run check:fresh-clone` runs it by hand (it clones what is committed, not the work tree).
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const START_TIMEOUT_MS = 120_000;
const timings = [];

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fresh-clone-'));
  const repo = path.join(work, 'repo');
  const children = [];
  try {
    await timed('git clone', () => run('git', ['clone', '--quiet', root, repo], work));
    await timed('npm ci', () => run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], repo));

    const [addonPort, emulatorPort] = [await freePort(), await freePort()];
    const addonUrl = `http://127.0.0.1:${addonPort}`;
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(addonPort),
      BASE_URL: addonUrl,
      PGLITE_DIR: path.join(work, 'pglite'),
      HIPCHAT_ALLOWED_HOSTS: '127.0.0.1,localhost',
      EMULATOR_PORT: String(emulatorPort),
      LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_URL;

    const first = await timed('first npm start (build + new database), until the descriptor is served', () =>
      startUntilServed(repo, env, `${addonUrl}/atlassian-connect.json`, children),
    );
    const emulator = spawnNpm(['run', 'emulator', '--silent'], repo, env, children);
    const hipchat = `http://127.0.0.1:${emulatorPort}/_emulator`;
    await waitUntil(() => fetchOk(`${hipchat}/state`), 'the emulator', START_TIMEOUT_MS, emulator);

    await timed('install into the demo room and /task add through the emulator', async () => {
      await postJson(`${hipchat}/installations`, { descriptorUrl: `${addonUrl}/atlassian-connect.json`, roomId: 100 });
      await postJson(`${hipchat}/rooms/100/messages`, { userId: 1000, message: '/task add Fresh clone check' });
      await waitUntil(() => roomShows(hipchat, 'Fresh clone check'), 'the /task add reply in the room', 10_000);
    });

    await timed('stop the add-on', async () => {
      await stop(first);
      // npm may exit before the server it started has closed its port.
      await waitUntil(async () => !(await fetchOk(addonUrl + '/healthz').catch(() => false)), 'the port to be free', 15_000);
    });
    const second = await timed('second npm start (nothing to build), until the descriptor is served', () =>
      startUntilServed(repo, env, `${addonUrl}/atlassian-connect.json`, children),
    );
    await timed('/task list after the restart still shows the task', async () => {
      await postJson(`${hipchat}/rooms/100/messages`, { userId: 1000, message: '/task list' });
      await waitUntil(async () => (await countInRoom(hipchat, 'Fresh clone check')) >= 2, 'the task in /task list', 10_000);
    });
    await stop(second);
  } finally {
    await Promise.all(children.map(stop));
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log('\nFresh clone: every step passed');
  for (const { step, seconds } of timings) console.log(`  ${seconds.padStart(6)} s  ${step}`);
}

async function timed(step, action) {
  const started = Date.now();
  process.stdout.write(`-- ${step}\n`);
  const result = await action();
  timings.push({ step, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  return result;
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
}

/** npm in its own process group, so that stopping it also stops the node process it started. */
function spawnNpm(args, cwd, env, children) {
  const child = spawn('npm', args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  children.push(child);
  return child;
}

async function startUntilServed(repo, env, descriptorUrl, children) {
  const child = spawnNpm(['start', '--silent'], repo, env, children);
  await waitUntil(() => fetchOk(descriptorUrl), 'npm start to serve the descriptor', START_TIMEOUT_MS, child);
  return child;
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(-child.pid, 'SIGTERM');
  });
}

async function waitUntil(condition, what, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`waiting for ${what}: the process exited with ${child.exitCode}`);
    if (await condition().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function fetchOk(url) {
  return (await fetch(url)).ok;
}

async function postJson(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function countInRoom(hipchat, text) {
  const history = await (await fetch(`${hipchat}/rooms/100/history`)).json();
  const items = Array.isArray(history) ? history : history.items ?? [];
  return items.filter((item) => item.type === 'notification' && JSON.stringify(item).includes(text)).length;
}

async function roomShows(hipchat, text) {
  return (await countInRoom(hipchat, text)) > 0;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

main().catch((error) => {
  console.error(`Fresh clone check failed: ${error.message}`);
  process.exit(1);
});
