import { describe, expect, it } from 'vitest';
import { GlossaryTermSchema, LessonFrontmatterSchema } from './schemas.ts';

const valid = {
  title: 'Open and closed workload models',
  description: 'How arrival-rate and VU-based executors differ, and why it matters for latency.',
  module: 'load-testing',
  order: 3,
  duration: 14,
  objectives: ['Explain the difference between open and closed models', 'Pick the k6 executor for each'],
  prerequisites: ['load-testing/01-slis-slos-and-slas'],
  session: 'load-testing-with-k6',
};

describe('LessonFrontmatterSchema', () => {
  it('accepts a complete lesson frontmatter and defaults prerequisites', () => {
    expect(LessonFrontmatterSchema.parse(valid)).toMatchObject({ module: 'load-testing', order: 3 });
    const { prerequisites: _omitted, ...rest } = valid;
    expect(LessonFrontmatterSchema.parse(rest).prerequisites).toEqual([]);
  });

  it('names the missing field', () => {
    const { duration: _omitted, ...rest } = valid;
    const result = LessonFrontmatterSchema.safeParse(rest);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['duration']);
  });

  it('rejects an unknown module, an unknown field and a malformed prerequisite', () => {
    const result = LessonFrontmatterSchema.safeParse({ ...valid, module: 'kubernetes', colour: 'red', prerequisites: ['intro'] });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.') || i.code);
    expect(paths).toContain('module');
    expect(paths).toContain('prerequisites.0');
    expect(result.error?.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
  });

  it('rejects a non-integer duration and an empty objective list', () => {
    expect(LessonFrontmatterSchema.safeParse({ ...valid, duration: 7.5 }).success).toBe(false);
    expect(LessonFrontmatterSchema.safeParse({ ...valid, objectives: [] }).success).toBe(false);
  });
});

describe('GlossaryTermSchema', () => {
  it('accepts a term and rejects a definition that is too short', () => {
    const term = { term: 'Burn rate', definition: 'How fast the error budget is being spent, relative to the SLO.', module: 'slos' };
    expect(GlossaryTermSchema.parse(term).seeAlso).toEqual([]);
    expect(GlossaryTermSchema.safeParse({ ...term, definition: 'Fast.' }).success).toBe(false);
  });
});
