import { describe, expect, it } from 'vitest';
import { findUnsupported } from './unsupported.ts';

const known = new Set(['k6', 'k6/http']);
const canImport = (name: string) => known.has(name);

describe('findUnsupported', () => {
  it('names a module the runtime does not have and the line of its import', () => {
    const script = "import http from 'k6/http';\n\nimport ws from 'k6/ws';\nexport default function () {}";
    expect(findUnsupported(script, canImport)).toEqual({
      feature: 'import of "k6/ws"',
      line: 3,
      message: 'line 3: import of "k6/ws": this k6 module is not available in the lab runtime',
    });
  });

  it('explains that local and remote modules are not loaded', () => {
    expect(findUnsupported("import { login } from './lib/login.js';", canImport)?.message).toContain('local modules cannot be imported');
    expect(findUnsupported("import x from 'https://jslib.k6.io/aws/0.11.0/s3.js';", canImport)?.message).toContain(
      'remote modules are not fetched',
    );
  });

  it('reports an API the runtime lacks, but not in a comment', () => {
    const script =
      "import http from 'k6/http';\n// res.clickLink() would be nice\nexport default function () {\n  http.get('x').clickLink();\n}";
    expect(findUnsupported(script, canImport)).toMatchObject({ feature: 'res.clickLink()', line: 4 });
    expect(findUnsupported("import http from 'k6/http';\n/* http.asyncRequest() */\nexport default function () {}", canImport)).toBeNull();
  });
});
