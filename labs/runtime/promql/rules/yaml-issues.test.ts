import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssue, goUnknownFieldErrors, locate, parseYamlFile, zodIssues } from './yaml-issues.ts';

const TEXT = 'a:\n  b:\n    - x: 1\n    - x: two\n      extra: 3\n';

describe('YAML positions', () => {
  it('locates values and keys by path', () => {
    const parsed = parseYamlFile(TEXT);
    if (!parsed.ok) throw new Error('should parse');
    expect(locate(parsed.file, ['a', 'b', 1, 'x'])).toEqual({ line: 4, column: 10 });
    expect(locate(parsed.file, ['a', 'b', 1], 'extra')).toEqual({ line: 5, column: 7 });
    // A missing node points at its closest existing ancestor.
    expect(locate(parsed.file, ['a', 'b', 0, 'nope'])).toEqual({ line: 3, column: 7 });
  });

  it('turns zod issues into messages with the field path and line', () => {
    const parsed = parseYamlFile(TEXT);
    if (!parsed.ok) throw new Error('should parse');
    const schema = z.strictObject({ a: z.strictObject({ b: z.array(z.strictObject({ x: z.number({ error: 'must be a number' }) })) }) });
    const result = schema.safeParse(parsed.file.value);
    if (result.success) throw new Error('should fail');
    const issues = zodIssues(parsed.file, result.error);
    expect(issues.map(formatIssue)).toEqual(['4:10: a.b[1].x: must be a number', '5:7: field extra not found in a.b[1]']);
    expect(goUnknownFieldErrors(issues, () => 'main.T')).toBeUndefined();
    expect(goUnknownFieldErrors([issues[1] as (typeof issues)[number]], () => 'main.T')).toBe(
      'yaml: unmarshal errors:\n  line 5: field extra not found in type main.T',
    );
  });

  it('reports YAML syntax errors, duplicate keys and oversized files with a line', () => {
    const bad = parseYamlFile('a: [1, 2\nb: 3\n');
    expect(!bad.ok && bad.errors[0]?.message).toMatch(/^yaml: /);
    const dup = parseYamlFile('a: 1\na: 2\n');
    expect(!dup.ok && dup.errors[0]).toMatchObject({ line: 2 });
    expect(parseYamlFile('x'.repeat(1_000_001)).ok).toBe(false);
  });
});
