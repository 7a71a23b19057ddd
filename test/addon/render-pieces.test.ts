import { renderList } from '../../src/addon/commands/render-task-replies';
import { buildGlance } from '../../src/addon/glance/build-glance';
import { escapeHtml } from '../../src/addon/pages/escape-html';
import { frameAncestorSources, isAllowedCorsOrigin, pageCsp } from '../../src/addon/pages/page-security';
import type { Task } from '../../src/addon/tasks/task';

const task = (number: number, text: string, extra: Partial<Task> = {}): Task => ({
  number,
  text,
  done: false,
  assignee: null,
  createdBy: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  ...extra,
});

describe('buildGlance', () => {
  it('shows 0 tasks as all done', () => {
    expect(buildGlance(0)).toEqual({
      label: { type: 'html', value: '<b>0</b> open tasks' },
      status: { type: 'lozenge', value: { label: 'All done', type: 'success' } },
      metadata: { openCount: 0 },
    });
  });

  it('uses the singular for one task', () => {
    expect(buildGlance(1).label.value).toBe('<b>1</b> open task');
    expect(buildGlance(1).status).toEqual({ type: 'lozenge', value: { label: '1 open', type: 'current' } });
  });

  it('turns red for a backlog', () => {
    expect(buildGlance(9).status).toEqual({ type: 'lozenge', value: { label: '9 open', type: 'current' } });
    expect(buildGlance(42)).toMatchObject({
      label: { value: '<b>42</b> open tasks' },
      status: { value: { label: '42 open', type: 'error' } },
    });
  });
});

describe('renderList', () => {
  it('escapes task text and assignees', () => {
    const html = renderList([task(1, '<script>x</script> & "q"', { assignee: 'ada' })], false);
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;');
    expect(html).not.toContain('<script>');
  });

  it('stays under HipChat’s 10,000 characters however long the list', () => {
    const tasks = Array.from({ length: 200 }, (_, i) => task(i + 1, '"'.repeat(500)));
    const html = renderList(tasks, false);
    expect(html.length).toBeLessThanOrEqual(10_000);
    expect(html).toMatch(/… and \d+ more/);
  });
});

describe('page security', () => {
  it('escapes every HTML-significant character', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('derives frame-ancestors from the allowed hosts', () => {
    expect(frameAncestorSources(['api.hipchat.com', '*.hipchat.com', '127.0.0.1', 'localhost', '::1'])).toEqual([
      'https://api.hipchat.com',
      'https://*.hipchat.com',
      'http://127.0.0.1:*',
      'http://localhost:*',
      'http://[::1]:*',
    ]);
  });

  it('allows only what the pages need', () => {
    const csp = pageCsp({ allowedHosts: ['*.hipchat.com'], hipchatOrigin: 'https://acme.hipchat.com' });
    expect(csp).toBe(
      "default-src 'none'; script-src 'self' https://acme.hipchat.com; style-src 'self'; connect-src 'self'; " +
        "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors https://*.hipchat.com",
    );
  });

  it('accepts CORS origins on allowed HipChat hosts only', () => {
    const hosts = ['*.hipchat.com', '127.0.0.1'];
    expect(isAllowedCorsOrigin('https://acme.hipchat.com', hosts)).toBe(true);
    expect(isAllowedCorsOrigin('http://127.0.0.1:4000', hosts)).toBe(true);
    expect(isAllowedCorsOrigin('http://acme.hipchat.com', hosts)).toBe(false);
    expect(isAllowedCorsOrigin('https://hipchat.com.evil.example', hosts)).toBe(false);
    expect(isAllowedCorsOrigin('null', hosts)).toBe(false);
    expect(isAllowedCorsOrigin(undefined, hosts)).toBe(false);
  });
});
