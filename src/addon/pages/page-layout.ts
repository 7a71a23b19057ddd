import { escapeHtml } from './escape-html';

export interface PageOptions {
  title: string;
  /**
   * The installation's trusted HipChat base URL (origin, plus the path of a HipChat Server behind one), for
   * its JavaScript API at `<base>/atlassian-connect/all.js`; undefined = the page works without it.
   */
  hipchatBaseUrl: string | undefined;
  /** A JWT for the page's first API calls, used if HipChat.auth.withToken is unavailable. */
  token: string;
  /** The page's own script under /static (no inline script: the CSP forbids it). */
  script: string;
  /** Already-escaped HTML of the body. */
  body: string;
}

/** The frame every Tasks page shares: HipChat's all.js, the shared page script, then the page's own. */
export function renderPage(options: PageOptions): string {
  const allJs = options.hipchatBaseUrl
    ? `<script src="${escapeHtml(`${options.hipchatBaseUrl}/atlassian-connect/all.js`)}"></script>\n`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="tasks-token" content="${escapeHtml(options.token)}">
<title>${escapeHtml(options.title)}</title>
<link rel="stylesheet" href="/static/tasks.css">
${allJs}<script src="/static/tasks-page.js"></script>
<script src="/static/${escapeHtml(options.script)}"></script>
</head>
<body>
${options.body}
</body>
</html>
`;
}
