import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startEmulator, type Emulator, type Room, type User } from '../../src/emulator';
import { expectText, launchBrowser, recordDialogs, saveScreenshot, waitFor } from './helpers/launch-browser';
import { startSampleAddon, type SampleAddon } from './helpers/start-sample-addon';

// The emulator's web client against a throwaway add-on served by the test (no Tasks add-on needed).
describe('emulator web client', () => {
  let emulator: Emulator;
  let addon: SampleAddon;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dialogs: string[];
  let room: Room;
  let user: User;

  beforeAll(async () => {
    emulator = await startEmulator();
    room = emulator.createRoom({ name: 'Demo', topic: 'Where the tests happen' });
    user = emulator.createUser({ name: 'Demo User', mention_name: 'demo' });
    addon = await startSampleAddon(emulator.url);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    page = await context.newPage();
    page.setDefaultTimeout(5000);
    dialogs = recordDialogs(page);
  });
  afterAll(async () => {
    await browser?.close();
    await addon?.close();
    await emulator?.close();
  });

  const glance = () => page.locator('.glance[data-glance="count"]');
  const modal = () => page.getByRole('dialog');
  const messageBox = () => page.getByRole('textbox', { name: 'Message' });

  it('installs an add-on from its descriptor URL on the Add-ons page', async () => {
    await page.goto(`${emulator.url}/#/addons`);
    await page.getByLabel('Descriptor URL').fill(addon.descriptorUrl);
    await page.getByLabel('Install in').selectOption({ label: `Room: ${room.name}` });
    await page.getByRole('button', { name: 'Install' }).click();
    await expectText(page.getByRole('status'), 'Installed Sample.');
    await expectText(page.locator('table.addons'), 'com.example.sample');
    expect(emulator.installations()).toEqual([expect.objectContaining({ addonKey: 'com.example.sample', roomId: room.id, active: true })]);
    await saveScreenshot(page, 'web-client-addons');
  });

  it('shows the room with its glance, queried with a signed_request for this user and room', async () => {
    await page.getByRole('link', { name: `# ${room.name}` }).click();
    await expectText(glance(), '0 items');
    await expectText(glance(), 'empty');
    expect(addon.verified).toContainEqual(expect.objectContaining({ path: '/glance', userId: String(user.id), roomId: room.id }));
  });

  it('posts what the user types and shows it escaped, live', async () => {
    await messageBox().fill('hello <b>world</b>');
    await messageBox().press('Enter');
    await expectText(page.locator('.msg--message').last(), 'hello <b>world</b>');
    expect(emulator.history(room.id).at(-1)).toMatchObject({ type: 'message', message: 'hello <b>world</b>', from: { id: user.id } });
  });

  it('renders notifications with their colour and curated HTML, and never runs scripts', async () => {
    const token = emulator.createAccessToken(emulator.installations()[0]!.oauthId);
    const response = await fetch(`${emulator.url}/v2/room/${room.id}/notification`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ color: 'green', message_format: 'html', message: '<b>bold</b> <script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">link</a>' }),
    });
    expect(response.status).toBe(204);
    const notification = page.locator('.msg--notification.msg--green').last();
    await expectText(notification, '<script>alert(1)</script><img src="x" onerror="alert(2)">');
    expect(await notification.locator('.msg__body b').textContent()).toBe('bold');
    expect(await notification.locator('script, img, [onerror]').count()).toBe(0);
    expect(await notification.locator('a').getAttribute('href')).toBeNull();
    expect(dialogs).toEqual([]);
  });

  it('updates the glance live when the add-on pushes a new value', async () => {
    addon.count = 1;
    await addon.pushGlance(room.id);
    await expectText(glance(), '1 items');
    await expectText(glance(), 'new');
  });

  it('opens the glance target in the sidebar: a signed iframe whose page gets tokens and appends to the message box', async () => {
    await glance().click();
    const panel = page.frameLocator('.sidebar iframe');
    await expectText(panel.locator('#who'), `panel for user ${user.id} in room ${room.id}`);
    await panel.getByRole('button', { name: 'Get token' }).click();
    await expectText(panel.locator('#out'), `token for user ${user.id} in room ${room.id}`);
    await panel.getByRole('button', { name: 'Append' }).click();
    await waitFor(async () => (await messageBox().inputValue()) === 'hello from the panel');
    await messageBox().fill('');
    await saveScreenshot(page, 'web-client-sidebar');
  });

  it('ignores messages from a frame that navigated to another origin', async () => {
    const panel = page.frameLocator('.sidebar iframe');
    await panel.getByRole('link', { name: 'Go to another origin' }).click();
    await expectText(panel.locator('#state'), 'impostor sent');
    await panel.getByRole('button', { name: 'Back' }).click();
    await panel.getByRole('button', { name: 'Append' }).click();
    await waitFor(async () => (await messageBox().inputValue()) !== '', 'the panel to append');
    // Messages are handled in arrival order, so the impostor's would have landed first.
    expect(await messageBox().inputValue()).toBe('hello from the panel');
    await messageBox().fill('');
  });

  it('opens a dialog from the page with the descriptor buttons; the primary action follows updatePrimaryAction', async () => {
    await page.frameLocator('.sidebar iframe').getByRole('button', { name: 'Open dialog' }).click();
    await expectText(modal().locator('h2'), 'Sample dialog');
    const dialogFrame = page.frameLocator('.modal iframe');
    await expectText(dialogFrame.locator('#params'), '{"from":"panel"}');
    const save = modal().getByRole('button', { name: /^Save/ });
    expect(await save.isDisabled()).toBe(true);
    await dialogFrame.getByLabel('Text').fill('Milk');
    await expectText(save, 'Save "Milk"');
    expect(await save.isEnabled()).toBe(true);
    await save.click();
    await modal().waitFor({ state: 'detached' });
    expect(addon.saved).toEqual([{ text: 'Milk', params: { from: 'panel' } }]);
  });

  it('runs a message action: the "…" menu opens the target dialog with the message as parameters', async () => {
    await page.getByRole('button', { name: 'Back to glances' }).click();
    const message = page.locator('.msg--message').last();
    await message.hover();
    await message.getByRole('button', { name: 'Message actions' }).click();
    await message.getByRole('menuitem', { name: 'Quote it' }).click();
    const dialogFrame = page.frameLocator('.modal iframe');
    await expectText(dialogFrame.locator('#params'), '"body":"hello <b>world</b>"');
    expect(await dialogFrame.getByLabel('Text').inputValue()).toBe('hello <b>world</b>');
    await saveScreenshot(page, 'web-client-action-dialog');
    await modal().getByRole('button', { name: 'Cancel' }).click();
    await modal().waitFor({ state: 'detached' });
    expect(addon.saved).toHaveLength(1);
  });

  it('shows the configuration page, signed, under the Add-ons page; uninstall removes the glance', async () => {
    await page.getByRole('link', { name: 'Add-ons' }).click();
    await page.getByRole('link', { name: 'Configure' }).click();
    const oauthId = emulator.installations()[0]!.oauthId;
    await expectText(page.frameLocator('.configure iframe').locator('#who'), `configuring ${oauthId} as user ${user.id}`);
    await saveScreenshot(page, 'web-client-configure');
    await page.getByRole('button', { name: 'Uninstall' }).click();
    await expectText(page.getByRole('status'), 'Uninstalled Sample.');
    expect(emulator.installations()).toEqual([]);
    await page.getByRole('link', { name: `# ${room.name}` }).click();
    await expectText(page.locator('.sidebar'), 'No add-on in this room has a glance');
    expect(dialogs).toEqual([]);
  });
});


describe('emulator web client on an empty emulator', () => {
  let emulator: Emulator;
  let browser: Browser;

  beforeAll(async () => {
    emulator = await startEmulator();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  it('lets a person add a user and a room, then post in it', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(5000);
    await page.goto(`${emulator.url}/`);
    await expectText(page.locator('main'), 'No rooms yet');
    await page.getByLabel('New user name').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expectText(page.getByLabel('Signed in as'), 'Ada Lovelace (@AdaLovelace)');
    await page.getByLabel('New room name').fill('Engine');
    await page.getByRole('button', { name: 'Add room' }).click();
    await expectText(page.locator('.room__header'), 'Engine');
    await page.getByRole('textbox', { name: 'Message' }).fill('First program');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await expectText(page.locator('.msg--message'), 'First program');
    expect(emulator.history(emulator.rooms()[0]!.id)).toEqual([expect.objectContaining({ message: 'First program', from: expect.objectContaining({ name: 'Ada Lovelace' }) })]);
    await saveScreenshot(page, 'web-client-empty-start');
  });
});
