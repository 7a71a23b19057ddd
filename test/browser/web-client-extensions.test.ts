import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { startEmulator, type Emulator, type Room, type User } from '../../src/emulator';
import { expectText, launchBrowser, recordDialogs, waitFor } from './helpers/launch-browser';

interface ExtensionsAddon {
  url: string;
  descriptorUrl: string;
  installed: Array<{ oauthId: string; oauthSecret: string }>;
  pages: string[];
  close(): Promise<void>;
}

// A throwaway add-on with an input action, actions hidden by conditions, an external page and an admin page.
async function startExtensionsAddon(emulatorUrl: string): Promise<ExtensionsAddon> {
  const app = express();
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const addon: ExtensionsAddon = {
    url,
    descriptorUrl: `${url}/atlassian-connect.json`,
    installed: [],
    pages: [],
    close: () => new Promise((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
  };
  app.use(express.json());
  app.use((req, _res, next) => (req.method === 'GET' && addon.pages.push(req.path), next()));
  app.get('/atlassian-connect.json', (_req, res) => {
    res.json({
      key: 'com.example.extensions',
      name: 'Extensions',
      description: 'Input actions, conditions, external and admin pages',
      vendor: { name: 'Tests', url },
      links: { self: addon.descriptorUrl, homepage: url },
      capabilities: {
        installable: { allowGlobal: true, allowRoom: true, callbackUrl: `${url}/installed` },
        hipchatApiConsumer: { scopes: ['send_notification', 'send_message'] },
        dialog: [{ key: 'add-task', title: { value: 'Add task' }, url: `${url}/dialog` }],
        externalPage: [{ key: 'report', name: { value: 'Full report' }, url: `${url}/report` }],
        action: [
          { key: 'add-as-task', name: { value: 'Add as task' }, target: 'add-task', location: 'hipchat.input.action' },
          { key: 'admins-only', name: { value: 'Admin tool' }, target: 'add-task', location: 'hipchat.input.action', conditions: [{ condition: 'user_is_admin' }] },
          {
            key: 'task-link',
            name: { value: 'Open task' },
            target: 'add-task',
            location: 'hipchat.message.action',
            conditions: [{ condition: 'message_matches', params: { regex: '^/task' } }],
          },
        ],
        adminPage: { url: `${url}/admin` },
      },
    });
  });
  app.post('/installed', (req, res) => void (addon.installed.push(req.body), res.status(200).json({})));
  const page = (body: string, script = '') =>
    `<!doctype html><html><head><meta charset="utf-8"><script src="${emulatorUrl}/atlassian-connect/all.js"></script></head><body>${body}<script>${script}</script></body></html>`;
  app.get('/dialog', (_req, res) =>
    void res.send(page('<label>Task <input id="task"></label><pre id="params"></pre>', `HipChat.register({ 'receive-parameters': function (p) { document.getElementById('params').textContent = JSON.stringify(p); document.getElementById('task').value = p.message || ''; } });`)),
  );
  app.get('/report', (_req, res) => void res.send(page('<h1 id="report">Full report</h1>')));
  app.get('/admin', (req, res) => void res.send(page(`<h1 id="admin">Admin page ${req.query.signed_request ? 'signed' : 'unsigned'}</h1>`)));
  return addon;
}

describe('emulator web client: input actions, conditions, external and admin pages, room events', () => {
  let emulator: Emulator;
  let addon: ExtensionsAddon;
  let browser: Browser;
  let page: Page;
  let dialogs: string[];
  let room: Room;
  let admin: User;
  let member: User;

  beforeAll(async () => {
    emulator = await startEmulator();
    room = emulator.createRoom({ name: 'Ext', topic: 'Extensions' });
    member = emulator.createUser({ name: 'Mia Member', mention_name: 'mia' });
    admin = emulator.createUser({ name: 'Ada Admin', mention_name: 'ada', is_group_admin: true });
    addon = await startExtensionsAddon(emulator.url);
    await emulator.install(addon.descriptorUrl);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    await context.addInitScript((userId) => localStorage.setItem('emulator.userId', String(userId)), member.id);
    page = await context.newPage();
    page.setDefaultTimeout(5000);
    dialogs = recordDialogs(page);
    await page.goto(`${emulator.url}/#/rooms/${room.id}`);
  });
  afterAll(async () => {
    await browser?.close();
    await addon?.close();
    await emulator?.close();
  });

  const messageBox = () => page.getByRole('textbox', { name: 'Message' });

  it('an input action opens its dialog with the message box\'s text', async () => {
    await messageBox().fill('Buy milk tomorrow');
    await page.getByRole('button', { name: 'Add as task' }).click();
    const frame = page.frameLocator('.modal iframe');
    await expectText(frame.locator('#params'), '"message":"Buy milk tomorrow"');
    expect(await frame.locator('#task').inputValue()).toBe('Buy milk tomorrow');
    await page.getByRole('button', { name: 'Close dialog' }).click();
  });

  it('conditions hide an input action from a member and a message action from messages that do not match', async () => {
    expect(await page.getByRole('button', { name: 'Admin tool' }).count()).toBe(0);
    await emulator.postMessage(room.id, member.id, 'just chatting');
    await emulator.postMessage(room.id, member.id, '/task add Milk');
    await expectText(page.locator('.msg--message').last(), '/task add Milk');
    expect(await page.locator('.msg--message').filter({ hasText: 'just chatting' }).getByRole('button', { name: 'Message actions' }).count()).toBe(0);
    expect(await page.locator('.msg--message').filter({ hasText: '/task add Milk' }).getByRole('button', { name: 'Message actions' }).count()).toBe(1);
    await page.getByLabel('Signed in as').selectOption(String(admin.id));
    await page.getByRole('button', { name: 'Admin tool' }).waitFor();
  });

  it('an external page opens signed in a new tab', async () => {
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: 'Full report' }).click()]);
    await tab.waitForURL(/\/report\?signed_request=/);
    await expectText(tab.locator('#report'), 'Full report');
    await tab.close();
  });

  it('the admin page shows, signed, to a group admin under Add-ons', async () => {
    await page.goto(`${emulator.url}/#/addons`);
    await page.getByRole('link', { name: 'Admin page' }).click();
    await expectText(page.frameLocator('.configure iframe').locator('#admin'), 'Admin page signed');
  });

  it('room controls archive (the message box closes), unarchive and upload a file', async () => {
    await page.goto(`${emulator.url}/#/rooms/${room.id}`);
    await page.getByRole('button', { name: 'Archive room' }).click();
    await waitFor(async () => (await messageBox().isDisabled()) === true, 'the message box to close');
    expect(emulator.room(room.id)?.is_archived).toBe(true);
    await page.getByRole('button', { name: 'Unarchive room' }).click();
    await waitFor(async () => (await messageBox().isDisabled()) === false, 'the message box to open');
    await page.getByLabel('File to upload').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await expectText(page.locator('.msg__file').last(), 'notes.txt (5 bytes)');
    expect(emulator.history(room.id).at(-1)).toMatchObject({ file: { name: 'notes.txt', size: 5 } });
  });

  it('shows the signed-in user\'s private messages live', async () => {
    await page.getByRole('link', { name: 'Private messages' }).click();
    const [installation] = addon.installed;
    const tokenResponse = await fetch(`${emulator.url}/v2/oauth/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${installation!.oauthId}:${installation!.oauthSecret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const sent = await fetch(`${emulator.url}/v2/user/${admin.id}/message`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'You have 1 open task' }),
    });
    expect(sent.status).toBe(204);
    await expectText(page.getByRole('list', { name: 'Private messages' }), 'You have 1 open task');
    expect(dialogs).toEqual([]);
  });
});
