// The peer the benchmark measures against: the Tasks add-on's `/task` webhook and glance written the way
// atlassian-connect-express-hipchat 0.3.9's template did (Express 4, ACE 1.0.14, its memory store, routes
// behind addon.authenticate()). Run from a copy of this folder next to the peer's node_modules (ACE reads
// config.json and atlassian-connect.json from the working directory), with NODE_ENV, PORT and
// AC_LOCAL_BASE_URL set. Tasks live in memory, and the replies are built to be byte-identical to ours.
const express = require('express');
const ac = require('atlassian-connect-express');
const hipchat = require('atlassian-connect-express-hipchat');

const app = express();
app.set('port', Number(process.env.PORT));
const addon = hipchat(ac(app), app);

app.disable('x-powered-by');
app.use(express.json());

// The one adaptation: the framework answers the install callback with 204, and the emulator accepts only
// the 200 HipChat's descriptor schema asks for. Only the install route is touched.
app.post('/installable', (req, res, next) => {
  const sendStatus = res.sendStatus.bind(res);
  res.sendStatus = (code) => sendStatus(code === 204 ? 200 : code);
  next();
});

app.use(addon.middleware());

/** Tasks per room: { number, text, done }, like ours without the database. */
const rooms = new Map();

function tasksOf(roomId) {
  let tasks = rooms.get(roomId);
  if (!tasks) {
    tasks = [];
    rooms.set(roomId, tasks);
  }
  return tasks;
}

function escapeHtml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function reply(message) {
  return { message: message, message_format: 'html', color: 'yellow', notify: false };
}

function renderList(tasks) {
  const open = tasks.filter((task) => !task.done);
  if (open.length === 0) return 'No open tasks. 🎉';
  const lines = open.map((task) => `<b>#${task.number}</b> ${escapeHtml(task.text)}`);
  return `<b>Open tasks</b> (${open.length})<br>${lines.join('<br>')}`;
}

app.post('/webhooks/task', addon.authenticate(), (req, res) => {
  const text = String(req.body.item.message.message);
  const tasks = tasksOf(req.identity.roomId);
  const add = /^\/task\s+add\s+(.+)$/.exec(text);
  if (add) {
    const task = { number: tasks.length + 1, text: add[1].trim(), done: false };
    tasks.push(task);
    res.json(reply(`Added #${task.number}: ${escapeHtml(task.text)}`));
    return;
  }
  res.json(reply(renderList(tasks)));
});

function glance(openCount) {
  const noun = openCount === 1 ? 'open task' : 'open tasks';
  return {
    label: { type: 'html', value: `<b>${openCount}</b> ${noun}` },
    status: {
      type: 'lozenge',
      value: openCount === 0 ? { label: 'All done', type: 'success' } : { label: `${openCount} open`, type: openCount >= 10 ? 'error' : 'current' },
    },
    metadata: { openCount: openCount },
  };
}

// The template answered glances through the `cors` package's defaults; the same header by hand.
app.get('/glance/tasks', (req, res, next) => {
  res.set('Access-Control-Allow-Origin', '*');
  next();
}, addon.authenticate(), (req, res) => {
  const open = tasksOf(req.identity.roomId).filter((task) => !task.done).length;
  res.json(glance(open));
});

app.listen(app.get('port'), '127.0.0.1', () => {
  if (process.send) process.send({ ready: true });
});
