import { describe, expect, it } from 'vitest';
import { renderMarkdownLite as renderGoalHtml } from './markdown-lite.ts';

describe('markdown-lite on lab task goals', () => {
  it('turns blank-line separated blocks into paragraphs', () => {
    expect(renderGoalHtml('First line\ncontinues.\n\nSecond paragraph.')).toBe('<p>First line continues.</p>\n<p>Second paragraph.</p>');
  });

  it('renders code spans and bold text', () => {
    expect(renderGoalHtml('Use `ramping-arrival-rate` and **report** the rate.')).toBe(
      '<p>Use <code>ramping-arrival-rate</code> and <strong>report</strong> the rate.</p>',
    );
  });

  it('escapes markup everywhere, including inside code spans', () => {
    expect(renderGoalHtml('<script>alert(1)</script> and `<img src=x onerror=1>` "quoted"')).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; and <code>&lt;img src=x onerror=1&gt;</code> &quot;quoted&quot;</p>',
    );
  });

  it('keeps asterisks inside code spans literal', () => {
    expect(renderGoalHtml("`'**'` stays")).toBe('<p><code>&#39;**&#39;</code> stays</p>');
  });

  it('renders a real goal with a quoted threshold', () => {
    expect(renderGoalHtml("at least one threshold (for example `http_req_failed: ['rate<0.01']`).")).toBe(
      '<p>at least one threshold (for example <code>http_req_failed: [&#39;rate&lt;0.01&#39;]</code>).</p>',
    );
  });
});
