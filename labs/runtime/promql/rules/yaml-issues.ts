// YAML documents with positions: parse with the `yaml` package, validate with zod, and turn every
// problem into a FileIssue that names the path and, where the node exists, its line and column —
// shared by rule files, promtool test files and the quality gate's slo.yaml / sli.yaml.
import { type Document, isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';

/** One problem in a file: a readable message, the YAML path, and a 1-based line/column if known. */
export interface FileIssue {
  message: string;
  path: (string | number)[];
  line?: number;
  column?: number;
  /** For an unknown field: its name (the message says so too). */
  unknownField?: string;
  /** The position prefix promtool prints for this problem, when it differs from line:column. */
  promtoolPosition?: string;
}

export interface YamlFile {
  doc: Document;
  lines: LineCounter;
  value: unknown;
}

/** Documents larger than this are refused before parsing (learners paste text; 1 MB is plenty). */
export const MAX_FILE_CHARS = 1_000_000;

export function parseYamlFile(text: string): { ok: true; file: YamlFile } | { ok: false; errors: FileIssue[] } {
  if (text.length > MAX_FILE_CHARS)
    return { ok: false, errors: [{ message: `file is larger than ${MAX_FILE_CHARS} characters`, path: [] }] };
  const lines = new LineCounter();
  // uniqueKeys: a key given twice is an error, as in Go's yaml.v3.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const problems = [...doc.errors];
  if (problems.length > 0) {
    return {
      ok: false,
      errors: problems.map((e) => {
        const issue: FileIssue = { message: `yaml: ${e.message.split('\n')[0]}`, path: [] };
        const offset = e.pos?.[0];
        if (offset !== undefined) {
          const at = lines.linePos(offset);
          Object.assign(issue, { line: at.line, column: at.col });
        }
        return issue;
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, errors: [{ message: `yaml: ${error instanceof Error ? error.message : String(error)}`, path: [] }] };
  }
  return { ok: true, file: { doc, lines, value } };
}

function nodeAt(doc: Document, path: readonly (string | number)[]): Node | undefined {
  if (path.length === 0) return (doc.contents as Node | null) ?? undefined;
  const node = doc.getIn(path, true);
  return node && typeof node === 'object' && 'range' in (node as object) ? (node as Node) : undefined;
}

/** Line and column (1-based) of the value at `path`, or of the key `key` inside it. */
export function locate(file: YamlFile, path: readonly (string | number)[], key?: string): { line: number; column: number } | undefined {
  let node = nodeAt(file.doc, path);
  if (key !== undefined && node && isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key);
    const keyNode = pair?.key as Node | undefined;
    if (keyNode?.range) node = keyNode;
  }
  // A missing node: point at the closest ancestor that exists.
  for (let n = path.length; !node?.range && n > 0; n--) node = nodeAt(file.doc, path.slice(0, n - 1));
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const pos = file.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

export function issueAt(file: YamlFile, path: (string | number)[], message: string, key?: string): FileIssue {
  const at = locate(file, path, key);
  return at ? { message, path, ...at } : { message, path };
}

function describePath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/** zod issues → FileIssues with positions and messages that name the field. */
export function zodIssues(file: YamlFile, error: z.ZodError): FileIssue[] {
  const out: FileIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const where = path.length > 0 ? ` in ${describePath(path)}` : '';
        out.push({ ...issueAt(file, path, `field ${key} not found${where}`, key), unknownField: key });
      }
      continue;
    }
    const field = path.length > 0 ? `${describePath(path)}: ` : '';
    out.push(issueAt(file, path, `${field}${issue.message}`));
  }
  return out;
}

/** `line:column: message`, as promtool prints positions. */
export function formatIssue(issue: FileIssue): string {
  return issue.line !== undefined ? `${issue.line}:${issue.column ?? 1}: ${issue.message}` : issue.message;
}

/**
 * Go's yaml.UnmarshalStrict text for unknown fields (`yaml: unmarshal errors:\n  line 5: field x
 * not found in type main.testGroup`), when every issue is one; `typeAt` names the Go type at a path.
 */
export function goUnknownFieldErrors(
  issues: readonly FileIssue[],
  typeAt: (path: readonly (string | number)[]) => string,
): string | undefined {
  if (issues.length === 0 || issues.some((i) => i.unknownField === undefined || i.line === undefined)) return undefined;
  const lines = issues.map((i) => `  line ${i.line}: field ${i.unknownField} not found in type ${typeAt(i.path)}`);
  return `yaml: unmarshal errors:\n${lines.join('\n')}`;
}
