// Finds what a script uses that the lab runtime does not have, before anything runs, so the
// learner reads which feature and which line instead of a failure deep in a test (issue 11).

export interface UnsupportedUse {
  feature: string;
  line: number;
  message: string;
}

/** k6 APIs that exist in k6 but not here yet, by a pattern of their use. */
const UNSUPPORTED_APIS: readonly { pattern: RegExp; feature: string }[] = [
  { pattern: /\.clickLink\s*\(/, feature: 'res.clickLink()' },
  { pattern: /\bhttp\.asyncRequest\s*\(/, feature: 'http.asyncRequest()' },
];

const IMPORT_FROM =
  /(?:^|[\s;}])(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/g;

/** Strips comments so a commented-out call is not reported; keeps line breaks for line numbers. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
}

/** The first unsupported module import or API use, with its 1-based line; null when there is none. */
export function findUnsupported(source: string, canImport: (name: string) => boolean): UnsupportedUse | null {
  const code = withoutComments(source);
  const lineAt = (index: number) => code.slice(0, index).split('\n').length;
  for (const match of code.matchAll(IMPORT_FROM)) {
    const name = match[1] ?? match[2] ?? match[3] ?? '';
    if (canImport(name)) continue;
    const line = lineAt(match.index + match[0].indexOf(name));
    const why =
      name.startsWith('.') || name.startsWith('/')
        ? 'local modules cannot be imported in the lab runtime; put the code in the script'
        : name.startsWith('http')
          ? 'remote modules are not fetched (there is no network); only jslib.k6.io/k6-summary and k6-utils are served'
          : 'this k6 module is not available in the lab runtime';
    return { feature: `import of "${name}"`, line, message: `line ${line}: import of "${name}": ${why}` };
  }
  for (const { pattern, feature } of UNSUPPORTED_APIS) {
    const found = pattern.exec(code);
    if (found) {
      const line = lineAt(found.index);
      return { feature, line, message: `line ${line}: ${feature} is not supported in the lab runtime yet` };
    }
  }
  return null;
}
