import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

const SCREENSHOT_DIR = path.resolve(__dirname, '../../../test-results');
/** Where Debian's package puts Chromium; used when present, as a system browser is faster to start. */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const HEADLESS_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// The packaged build has no zygote helper binaries beside it, so it must run without one.
const PACKAGED_ARGS = ['--no-zygote'];

export interface BrowserBinary {
  path: string;
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

/**
 * Which Chromium the browser tests drive: `CHROMIUM_PATH` if set, the system's if installed, otherwise the
 * one shipped inside the `@sparticuz/chromium` npm package (unpacked to the temporary directory on first
 * use), so that `npm install && npm test` needs nothing but Node.
 */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<BrowserBinary> {
  if (env.CHROMIUM_PATH) {
    if (!fs.existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist`);
    return { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  }
  if (fs.existsSync(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, source: 'system' };
  const { default: packaged } = await import('@sparticuz/chromium');
  return { path: await packaged.executablePath(), source: '@sparticuz/chromium' };
}

let announced = false;

/** Headless Chromium (see findChromium); says once per test file which one runs. */
export async function launchBrowser(): Promise<Browser> {
  const binary = await findChromium();
  if (!announced) {
    announced = true;
    process.stdout.write(`browser tests: Chromium from ${binary.source} (${binary.path})\n`);
  }
  const args = binary.source === '@sparticuz/chromium' ? [...HEADLESS_ARGS, ...PACKAGED_ARGS] : HEADLESS_ARGS;
  return chromium.launch({ executablePath: binary.path, args });
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
