import { describe, expect, it } from 'vitest';
import { auditLessonSource, lessonIdFromPath } from './lesson-audit.ts';
import { checkLesson } from './lesson-rules.ts';

const index = { termIds: new Set(['slo', 'sli']), lessonIds: new Set(['slos/01-prometheus-data-model', 'slos/02-promql-essentials']) };
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
const frontmatter = `---
title: PromQL essentials
description: Instant and range vectors, rate, sum by and histogram_quantile.
module: slos
order: 2
duration: 15
objectives:
  - Write a rate() query over a counter
  - Aggregate before computing a quantile
prerequisites:
  - slos/01-prometheus-data-model
---
`;
const body = (prose: number) => `${frontmatter}
## Rates

${words(prose)} and an <Term id="slo">SLO</Term>.

\`\`\`promql
sum by (le) (rate(http_request_duration_seconds_bucket[5m]))
\`\`\`

## Key takeaways

- one

## Check your understanding

<Check question="Why aggregate first?">

Because quantiles do not add up.

</Check>

<Check question="What does rate() return?">

A per-second average.

</Check>
`;

describe('lesson rules', () => {
  it('accepts a lesson that meets every rule', () => {
    const report = checkLesson('content/lessons/slos/02-promql-essentials.mdx', body(700), index);
    expect(report.problems).toEqual([]);
    expect(report.proseWords).toBeGreaterThanOrEqual(700);
  });

  it('counts prose words but not code', () => {
    const audit = auditLessonSource(body(10));
    expect(audit.ok).toBe(true);
    if (audit.ok) {
      expect(audit.value.proseWords).toBeLessThan(40);
      expect(audit.value.termIds).toEqual(['slo']);
      expect(audit.value.checkCount).toBe(2);
    }
  });

  it('reports a short lesson, an unknown term, a wrong module and a missing section', () => {
    const source = body(100)
      .replace('module: slos', 'module: roundtable')
      .replace('id="slo"', 'id="nope"')
      .replace('## Key takeaways', '## Summary');
    const { problems } = checkLesson('content/lessons/slos/02-promql-essentials.mdx', source, index);
    expect(problems.some((p) => p.includes('words of prose'))).toBe(true);
    expect(problems).toContain('<Term id="nope"> is not in content/glossary');
    expect(problems.some((p) => p.startsWith('frontmatter field "module"'))).toBe(true);
    expect(problems).toContain('has no "## Key takeaways" section');
  });

  it('names the frontmatter field that fails validation', () => {
    const { problems } = checkLesson(
      'content/lessons/slos/02-promql-essentials.mdx',
      body(700).replace('duration: 15', 'duration: soon'),
      index,
    );
    expect(problems).toEqual([expect.stringContaining('frontmatter field "duration"')]);
  });

  it('reports MDX that does not parse with its position', () => {
    const { problems } = checkLesson('content/lessons/slos/02-promql-essentials.mdx', `${frontmatter}\nA stray {brace here\n`, index);
    expect(problems[0]).toMatch(/^MDX does not parse: \d+:\d+/);
  });

  it('derives lesson ids from paths', () => {
    expect(lessonIdFromPath('/x/content/lessons/slos/02-promql-essentials.mdx')).toBe('slos/02-promql-essentials');
    expect(lessonIdFromPath('content/glossary/slo.yaml')).toBeUndefined();
  });
});
