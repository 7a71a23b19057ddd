import path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { Emulator, Room, User } from '../../src/emulator';
import type { RunningAddon } from '../../src/runtime';
import { startTestKit, type TestKit } from '../../src/testing';
import { expectText, launchBrowser, recordDialogs, saveScreenshot, waitFor } from './helpers/launch-browser';

// The Tasks add-on as a user sees it in the emulator's web client.
describe('Tasks add-on in the emulator web client', () => {
  let kit: TestKit;
  let emulator: Emulator;
  let tasks: RunningAddon;
  let browser: Browser;
  let page: Page;
  let dialogs: string[];
  let room: Room;
  let user: User;

  beforeAll(async () => {
    kit = await startTestKit({ env: { HIPCHAT_ALLOWED_HOSTS: '127.0.0.1,localhost' } });
    ({ emulator, addon: tasks } = kit);
    room = emulator.createRoom({ name: 'Demo', topic: 'Try /task add Something' });
    // The signed-in user configures Tasks, which takes a room admin: a group admin here.
    user = emulator.createUser({ name: 'Demo User', mention_name: 'demo', is_group_admin: true });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 760 } })).newPage();
    page.setDefaultTimeout(5000);
    dialogs = recordDialogs(page);
  });
  afterAll(async () => {
    await browser?.close();
    await kit?.stop();
  });

  const glance = () => page.locator('.glance[data-glance="tasks"]');
  const messageBox = () => page.getByRole('textbox', { name: 'Message' });
  const sidebarFrame = (): FrameLocator => page.frameLocator('.sidebar iframe');
  const notifications = () => emulator.history(room.id).filter((item) => item.type === 'notification');

  async function say(text: string): Promise<void> {
    await messageBox().fill(text);
    await messageBox().press('Enter');
  }

  async function openRoom(): Promise<void> {
    await page.getByRole('link', { name: `# ${room.name}` }).click();
    await page.locator('.room__header').waitFor();
  }

  async function openSidebar(): Promise<void> {
    await glance().click();
    await sidebarFrame().locator('body').waitFor();
  }

  async function backToGlances(): Promise<void> {
    await page.getByRole('button', { name: 'Back to glances' }).click();
  }

  it('installs Tasks from its descriptor URL', async () => {
    await page.goto(`${emulator.url}/#/addons`);
    await page.getByLabel('Descriptor URL').fill(`${tasks.url}/atlassian-connect.json`);
    await page.getByRole('button', { name: 'Install' }).click();
    await expectText(page.getByRole('status'), 'Installed Tasks.', 10_000);
    await saveScreenshot(page, 'tasks-installed');
  });

  it('answers "/task add Buy milk" in the room and the glance shows 1, live', async () => {
    await openRoom();
    await expectText(glance(), '0');
    await say('/task add Buy milk');
    await waitFor(async () => emulator.history(room.id).some((item) => item.from.kind === 'user' && item.from.id === user.id && item.message === '/task add Buy milk'), 'the message from the signed-in user');
    await expectText(page.locator('.msg--notification').last(), 'Buy milk');
    await expectText(glance(), '1');
    await saveScreenshot(page, 'tasks-added');
  });

  it('completes the task in the sidebar and the glance drops to 0 without a reload', async () => {
    await openSidebar();
    await expectText(sidebarFrame().locator('body'), 'Buy milk');
    const complete = sidebarFrame().getByRole('checkbox', { name: /Buy milk/ }).or(sidebarFrame().getByRole('button', { name: /done|complete/i }).first());
    await complete.first().click();
    await saveScreenshot(page, 'tasks-sidebar');
    await backToGlances();
    await expectText(glance(), '0');
  });

  it('creates a task from a message with the "Create a task" action and its pre-filled dialog', async () => {
    await say('Remember to water the plants');
    const message = page.locator('.msg--message', { hasText: 'Remember to water the plants' });
    await message.hover();
    await message.getByRole('button', { name: 'Message actions' }).click();
    await message.getByRole('menuitem', { name: 'Create a task' }).click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog.locator('h2'), 'Create a task');
    const field = page.frameLocator('.modal iframe').getByRole('textbox').first();
    await waitFor(async () => (await field.inputValue()).includes('Remember to water the plants'), 'the pre-filled dialog');
    await saveScreenshot(page, 'tasks-action-dialog');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectText(glance(), '1');
  });

  it('opens the create-task dialog from the message box with "Add as task", its text pre-filled', async () => {
    await messageBox().fill('Order more coffee');
    await page.getByRole('button', { name: 'Add as task' }).click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog.locator('h2'), 'Create a task');
    const field = page.frameLocator('.modal iframe').getByRole('textbox').first();
    await waitFor(async () => (await field.inputValue()) === 'Order more coffee', 'the dialog pre-filled from the message box');
    await saveScreenshot(page, 'tasks-input-action-dialog');
    await page.getByRole('button', { name: 'Close dialog' }).click();
    await dialog.waitFor({ state: 'detached' });
    await messageBox().fill('');
  });

  it('announces new tasks once the configuration page turns it on', async () => {
    await page.getByRole('link', { name: 'Add-ons' }).click();
    await page.getByRole('link', { name: 'Configure' }).click();
    const config = page.frameLocator('.configure iframe');
    await config.getByLabel(/announce/i).check();
    await config.getByRole('button', { name: /save/i }).click();
    await expectText(config.locator('body'), 'Saved');
    await saveScreenshot(page, 'tasks-configure');
    await openRoom();
    const before = notifications().length;
    await say('/task add Call Bob');
    await waitFor(async () => notifications().slice(before).filter((item) => item.message.includes('Call Bob')).length >= 2, 'a reply and an announcement');
    expect(notifications().slice(before).some((item) => item.notify)).toBe(true);
    await openSidebar();
    await expectText(sidebarFrame().locator('body'), 'Call Bob');
    await saveScreenshot(page, 'tasks-room');
    // The README's screenshot: refreshed only on request, so ordinary runs leave docs/ alone.
    if (process.env.UPDATE_DOCS_SCREENSHOT) await page.screenshot({ path: path.resolve(__dirname, '../../docs/screenshot-room.png') });
    await backToGlances();
  });

  it('shows a task named like markup as text in history, glance, sidebar and dialog, and runs nothing', async () => {
    const name = '<img src=x onerror=alert(1)>';
    await say(`/task add ${name}`);
    await expectText(page.locator('.msg--notification').last(), name);
    expect(await page.locator('.history img').count()).toBe(0);
    await expectText(glance(), '3');
    await openSidebar();
    await expectText(sidebarFrame().locator('body'), name);
    expect(await sidebarFrame().locator('img[src="x"]').count()).toBe(0);
    await saveScreenshot(page, 'tasks-markup-sidebar');
    await backToGlances();
    const message = page.locator('.msg--message').last();
    await message.hover();
    await message.getByRole('button', { name: 'Message actions' }).click();
    await message.getByRole('menuitem', { name: 'Create a task' }).click();
    const field = page.frameLocator('.modal iframe').getByRole('textbox').first();
    await waitFor(async () => (await field.inputValue()).includes(name), 'the dialog pre-filled with the markup as text');
    expect(await page.frameLocator('.modal iframe').locator('img[src="x"]').count()).toBe(0);
    await saveScreenshot(page, 'tasks-markup-dialog');
    await page.getByRole('button', { name: 'Close dialog' }).click();
    expect(dialogs).toEqual([]);
  });
  it('creates an incoming hook on the configuration page: a post to its URL reaches the room; revoked, it is refused', async () => {
    await page.getByRole('link', { name: 'Add-ons' }).click();
    await page.getByRole('link', { name: 'Configure' }).click();
    const config = page.frameLocator('.configure iframe');
    await config.getByLabel('Label').fill('CI builds');
    await config.getByRole('button', { name: 'Create hook' }).click();
    await config.locator('#hook-created').waitFor();
    const url = (await config.locator('#hook-url').textContent()) ?? '';
    expect(url.startsWith(`${tasks.url}/hooks/`)).toBe(true);
    await expectText(config.locator('#hooks tbody'), 'CI builds');
    await saveScreenshot(page, 'tasks-hooks');

    const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'build #42 passed' }) });
    expect((await post()).status).toBe(202);
    await waitFor(async () => notifications().some((item) => item.message.includes('build #42 passed')), 'the hook message in the room');

    await config.getByRole('button', { name: 'Revoke CI builds' }).click();
    await expectText(config.locator('#hooks-status'), 'Revoked');
    expect(await config.locator('#hooks tbody tr').count()).toBe(0);
    expect((await post()).status).toBe(404);
    expect(dialogs).toEqual([]);
  });
  it("shows an ordinary member the configuration page read-only, without hooks; the switcher says who is admin", async () => {
    const member = emulator.createUser({ name: 'Mia Member', mention_name: 'mia' });
    const switcher = page.getByLabel('Signed in as');
    await expectText(switcher, 'Mia Member (@mia)');
    await expectText(switcher, 'Demo User (@demo) (admin)');
    await switcher.selectOption(String(member.id));
    await page.getByRole('link', { name: 'Add-ons' }).click();
    await page.getByRole('link', { name: 'Configure' }).click();
    const config = page.frameLocator('.configure iframe');
    await expectText(config.locator('#read-only-note'), 'Only a room admin');
    expect(await config.locator('#announce').isDisabled()).toBe(true);
    expect(await config.locator('#color').isDisabled()).toBe(true);
    expect(await config.getByRole('button', { name: /save/i }).count()).toBe(0);
    expect(await config.getByRole('button', { name: 'Create hook' }).count()).toBe(0);
    expect(await config.locator('#hooks').count()).toBe(0);
    await saveScreenshot(page, 'tasks-configure-read-only');
    await switcher.selectOption(String(user.id));
    expect(dialogs).toEqual([]);
  });
});
