import type { Emulator, SignedUrlRequest } from '../emulator';

/** A page of the add-on as HipChat framed it: its configure page, or a web panel, dialog or external page by key. */
export type PageName = 'configure' | { webPanel: string } | { dialog: string } | { externalPage: string };

/** What the kit needs of a browser page: Playwright's Page fits, but the kit does not depend on Playwright. */
export interface PageLike {
  goto(url: string): Promise<unknown>;
  close(): Promise<void>;
}

/** A Playwright Browser or BrowserContext (anything that opens pages). */
export interface BrowserLike<P extends PageLike> {
  newPage(): Promise<P>;
}

export interface OpenPageOptions<P extends PageLike> {
  as: { id: number };
  room: { id: number };
  theme?: 'light' | 'dark';
  lang?: string;
  /** When given, the page is opened in it at the signed URL. */
  browser?: BrowserLike<P>;
}

export interface OpenedPage<P> {
  /** The URL HipChat would load in its iframe, `signed_request` (a JWT for the user and room) included. */
  url: string;
  /** The page, opened at `url` (only when a browser was given). */
  page: P | undefined;
}

function moduleOf(name: PageName): Pick<SignedUrlRequest, 'kind' | 'key'> {
  if (name === 'configure') return { kind: 'configurable' };
  if ('webPanel' in name) return { kind: 'webPanel', key: name.webPanel };
  if ('dialog' in name) return { kind: 'dialog', key: name.dialog };
  return { kind: 'externalPage', key: name.externalPage };
}

/** Signs the page's URL as HipChat did and, given a browser, opens it; `track` learns of each page to close. */
export async function openPage<P extends PageLike>(
  emulator: Emulator,
  oauthId: string,
  name: PageName,
  options: OpenPageOptions<P>,
  track: (page: PageLike) => void,
): Promise<OpenedPage<P>> {
  const url = emulator.signedUrl(oauthId, {
    ...moduleOf(name),
    roomId: options.room.id,
    userId: options.as.id,
    ...(options.theme ? { theme: options.theme } : {}),
    ...(options.lang ? { lang: options.lang } : {}),
  });
  if (!options.browser) return { url, page: undefined };
  const page = await options.browser.newPage();
  track(page);
  await page.goto(url);
  return { url, page };
}
