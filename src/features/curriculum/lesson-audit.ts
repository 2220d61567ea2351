// Reads an MDX lesson the way the quality checks need it: frontmatter, prose word count (code,
// SVG and JSX attributes excluded), glossary term references and the sections every lesson has.
// Used by scripts/content-check.ts and the content tests; runs in Node only (satteri is native).
import { mdxToMdast } from 'satteri';
import { parse as parseYaml } from 'yaml';
import { countWords } from './lesson-audit-words.ts';

interface MdNode {
  type: string;
  value?: string;
  depth?: number;
  name?: string | null;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: MdNode[];
}

export interface LessonAudit {
  frontmatter: unknown;
  proseWords: number;
  termIds: string[];
  headings: { depth: number; text: string }[];
  checkCount: number;
  figureCount: number;
  codeBlockCount: number;
}

export type LessonAuditResult = { ok: true; value: LessonAudit } | { ok: false; error: string };

const NOT_PROSE = new Set(['code', 'yaml', 'mdxjsEsm', 'mdxFlowExpression', 'mdxTextExpression', 'html']);

function textOf(node: MdNode): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value ?? '';
  return (node.children ?? []).map(textOf).join('');
}

function attribute(node: MdNode, name: string): string | undefined {
  const found = node.attributes?.find((a) => a.type === 'mdxJsxAttribute' && a.name === name);
  return typeof found?.value === 'string' ? found.value : undefined;
}

export function auditLessonSource(source: string): LessonAuditResult {
  let tree: MdNode;
  try {
    tree = mdxToMdast(source) as unknown as MdNode;
  } catch (error) {
    return { ok: false, error: `MDX does not parse: ${(error as Error).message}` };
  }
  const audit: LessonAudit = {
    frontmatter: undefined,
    proseWords: 0,
    termIds: [],
    headings: [],
    checkCount: 0,
    figureCount: 0,
    codeBlockCount: 0,
  };
  const prose: string[] = [];
  const visit = (node: MdNode, insideSvg: boolean): void => {
    if (node.type === 'yaml') {
      try {
        audit.frontmatter = parseYaml(node.value ?? '');
      } catch (error) {
        audit.frontmatter = new Error((error as Error).message);
      }
      return;
    }
    if (node.type === 'code') audit.codeBlockCount += 1;
    if (NOT_PROSE.has(node.type)) return;
    if (node.type === 'heading') audit.headings.push({ depth: node.depth ?? 0, text: textOf(node).trim() });
    let svg = insideSvg;
    if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
      if (node.name === 'Term') {
        const id = attribute(node, 'id');
        if (id !== undefined) audit.termIds.push(id);
      }
      if (node.name === 'Check') {
        audit.checkCount += 1;
        prose.push(attribute(node, 'question') ?? '');
      }
      if (node.name === 'Figure') audit.figureCount += 1;
      if (node.name === 'svg') svg = true;
    }
    if (!svg && (node.type === 'text' || node.type === 'inlineCode')) prose.push(node.value ?? '');
    for (const child of node.children ?? []) visit(child, svg);
  };
  visit(tree, false);
  audit.proseWords = countWords(prose.join(' '));
  return { ok: true, value: audit };
}

/** `content/lessons/slos/02-promql-essentials.mdx` → `slos/02-promql-essentials`. */
export function lessonIdFromPath(filePath: string): string | undefined {
  const match = /(?:^|\/)content\/lessons\/([^/]+\/[^/]+)\.mdx$/.exec(filePath.replaceAll('\\', '/'));
  return match?.[1];
}
