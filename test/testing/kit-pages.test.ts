import type { Browser, Page } from 'playwright-core';
import { startTestKit, type TestKit } from '../../src/testing';
import { expectText, launchBrowser } from '../browser/helpers/launch-browser';

describe('test kit: pages as HipChat frames them', () => {
  let kit: TestKit;
  beforeAll(async () => {
    kit = await startTestKit();
  });
  afterAll(() => kit?.stop());

  it('signs the configure page for the user and room it is opened as', async () => {
    const admin = kit.users.create({ name: 'Ada', admin: true });
    const member = kit.users.create('Bob');
    const room = kit.rooms.create('Dev');
    await kit.install({ room });

    const asAdmin = await kit.openPage('configure', { as: admin, room });
    expect(asAdmin.page).toBeUndefined();
    const url = new URL(asAdmin.url);
    expect(url.searchParams.get('signed_request')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const adminHtml = await (await fetch(asAdmin.url)).text();
    expect(adminHtml).toContain('<button type="submit">Save</button>');

    const asMember = await room.openPage('configure', { as: member });
    const memberHtml = await (await fetch(asMember.url)).text();
    expect(memberHtml).toContain('id="read-only-note"');

    const sidebar = await room.openPage({ webPanel: 'tasks-sidebar' }, { as: member });
    expect((await fetch(sidebar.url)).status).toBe(200);
  });

  describe('with a browser', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(() => browser?.close());

    it('opens the page at its signed URL and closes it at stop()', async () => {
      const own = await startTestKit();
      try {
        const ada = own.users.create({ name: 'Ada', admin: true });
        const room = own.rooms.create('Dev');
        await own.install({ room });
        await room.say('/task add visible in the sidebar', { as: ada });
        const { page } = await room.openPage<Page>({ webPanel: 'tasks-sidebar' }, { as: ada, browser });
        await expectText(page!.locator('body'), 'visible in the sidebar');
        await own.stop();
        expect(page!.isClosed()).toBe(true);
      } finally {
        await own.stop();
      }
    });
  });
});
