import type { Browser, Page } from 'playwright-core';
import { startEmulator, type Emulator, type Room, type User } from '../../src/emulator';
import { expectText, launchBrowser, recordDialogs } from '../browser/helpers/launch-browser';

/** The web client of an emulator served under a path prefix: its page, assets, control calls and event stream stay under it. */
describe('emulator web client under a path prefix', () => {
  let emulator: Emulator;
  let browser: Browser;
  let page: Page;
  let dialogs: string[];
  let room: Room;
  let user: User;

  beforeAll(async () => {
    emulator = await startEmulator({ pathPrefix: '/hipchat' });
    room = emulator.createRoom({ name: 'Prefixed' });
    user = emulator.createUser({ name: 'Pat Prefix', mention_name: 'pat' });
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(5000);
    dialogs = recordDialogs(page);
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  it('redirects the prefix to its page, whose assets answer under the prefix only', async () => {
    const bare = await fetch(emulator.url, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/hipchat/');
    const html = await (await fetch(`${emulator.url}/`)).text();
    const assets = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => new URL(match[1] ?? '', `${emulator.url}/`));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset.pathname.startsWith('/hipchat/')).toBe(true);
      expect((await fetch(asset)).status).toBe(200);
    }
    expect((await fetch(`${emulator.url}/atlassian-connect/all.js`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${emulator.port}/web/app.css`)).status).toBe(404);
  });

  it('shows the room and posts through the control API under the prefix, live through the event stream', async () => {
    await page.goto(emulator.url);
    await page.getByRole('link', { name: `# ${room.name}` }).click();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('hello from under the prefix');
    await box.press('Enter');
    await expectText(page.locator('.msg--message').last(), 'hello from under the prefix');
    expect(emulator.history(room.id).at(-1)).toMatchObject({ type: 'message', message: 'hello from under the prefix', from: { id: user.id } });
    // A message posted outside the browser arrives through the event stream.
    await emulator.postMessage(room.id, user.id, 'and one from the control side');
    await expectText(page.locator('.msg--message').last(), 'and one from the control side');
    expect(dialogs).toEqual([]);
  });

  it('misses nothing posted while its event stream is still connecting: it subscribes before it reads the history', async () => {
    const slowPage = await (await browser.newContext()).newPage();
    slowPage.setDefaultTimeout(5000);
    // The stream's request is held back, as on a loaded machine; a message posted meanwhile must still show.
    await slowPage.route('**/web/api/events', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    });
    try {
      await slowPage.goto(emulator.url);
      await slowPage.locator('.msg--message').first().waitFor();
      await emulator.postMessage(room.id, user.id, 'posted while the stream connects');
      await expectText(slowPage.locator('.msg--message').last(), 'posted while the stream connects');
    } finally {
      await slowPage.context().close();
    }
  });

  it('draws the page when its event stream fails at first, and draws it again once the stream connects', async () => {
    const failingPage = await (await browser.newContext()).newPage();
    failingPage.setDefaultTimeout(5000);
    let attempts = 0;
    await failingPage.route('**/web/api/events', async (route) => {
      attempts += 1;
      if (attempts === 1) await route.abort('connectionrefused');
      else await route.continue();
    });
    try {
      await failingPage.goto(emulator.url);
      await failingPage.locator('.msg--message').first().waitFor();
      // Posted after the page read the history and before the stream's retry (Chromium waits seconds).
      await emulator.postMessage(room.id, user.id, 'posted before the stream ever connected');
      await expectText(failingPage.locator('.msg--message').last(), 'posted before the stream ever connected', 15_000);
      expect(attempts).toBeGreaterThan(1);
    } finally {
      await failingPage.context().close();
    }
  });

  it('keeps a draft when the link of the room already open is clicked (no redraw of the same route)', async () => {
    await page.goto(emulator.url);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('a draft');
    // Counted by a listener added after the client's own, so it runs once the client has handled the change.
    await page.evaluate(() => {
      const counted = window as unknown as { hashChanges: number };
      counted.hashChanges = 0;
      window.addEventListener('hashchange', () => counted.hashChanges++);
    });
    await page.getByRole('link', { name: `# ${room.name}` }).click();
    await page.waitForFunction(() => (window as unknown as { hashChanges: number }).hashChanges === 1);
    expect(await box.inputValue()).toBe('a draft');
  });
});
