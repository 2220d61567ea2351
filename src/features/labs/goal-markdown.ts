// Task goals are short Markdown: paragraphs, `code` spans and **bold**. This renders exactly that
// subset to HTML at build time, escaping everything else, so a goal can never inject markup.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function renderInline(text: string): string {
  // Code spans first, so `**` inside code stays literal.
  return text
    .split(/(`[^`]+`)/)
    .map((part) => {
      if (part.length > 2 && part.startsWith('`') && part.endsWith('`')) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
    })
    .join('');
}

/** Paragraphs separated by blank lines; single line breaks inside a paragraph become spaces. */
export function renderGoalHtml(markdown: string): string {
  return markdown
    .split(/\n\s*\n/)
    .map((block) => block.trim().replace(/\s*\n\s*/g, ' '))
    .filter((block) => block.length > 0)
    .map((block) => `<p>${renderInline(block)}</p>`)
    .join('\n');
}
