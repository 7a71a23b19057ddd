import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const SCREENSHOT_DIR = path.resolve(__dirname, '../../../test-results');

/** Debian's Chromium, headless; test tools cannot download their own browsers here. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Collects every alert/confirm/prompt a page opens (dismissing it), so tests can assert there were none. */
export function recordDialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (dialog) => {
    seen.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return seen;
}

/** Saves the page under test-results/ (not committed) and returns the file path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Polls `condition` until it holds; fails with `what` after timeoutMs. A condition, never a fixed sleep. */
export async function waitFor(condition: () => Promise<boolean>, what = 'condition', timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits until the locator's text contains `text`. */
export async function expectText(locator: Pick<Locator, 'textContent'>, text: string, timeoutMs = 5000): Promise<void> {
  let last: string | null = null;
  await waitFor(async () => {
    last = await locator.textContent({ timeout: 500 });
    return last?.includes(text) ?? false;
  }, `text ${JSON.stringify(text)}`, timeoutMs).catch(() => {
    throw new Error(`expected text containing ${JSON.stringify(text)}, last saw ${JSON.stringify(last)}`);
  });
}
