import { describe, expect, it } from 'vitest';
import { renderInlineMarkdown, renderMarkdownLite } from './markdown-lite.ts';

describe('markdown-lite', () => {
  it('renders paragraphs, code, emphasis, lists and fenced blocks', () => {
    const html = renderMarkdownLite('A **bold** `rate()` *claim*.\n\n- one\n- two\n\n```\nsum by (le) (x)\n```');
    expect(html).toBe(
      '<p>A <strong>bold</strong> <code>rate()</code> <em>claim</em>.</p>\n<ul><li>one</li><li>two</li></ul>\n<pre><code>sum by (le) (x)</code></pre>',
    );
  });

  it('renders pipe tables with a header row', () => {
    expect(renderMarkdownLite('| `le` | 0.5 |\n| --- | --- |\n| rate | 700 |')).toBe(
      '<table><thead><tr><th scope="col"><code>le</code></th><th scope="col">0.5</th></tr></thead><tbody><tr><td>rate</td><td>700</td></tr></tbody></table>',
    );
  });

  it('escapes any markup in the content', () => {
    expect(renderMarkdownLite('<script>alert(1)</script> & "x"')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</p>');
    expect(renderInlineMarkdown('`<b>`')).toBe('<code>&lt;b&gt;</code>');
  });
});
