import { describe, expect, it } from 'vitest';
import { buildOutline, type LessonRef, lessonUrl, neighbours, readingMinutes, studyOrder } from './outline.ts';

function lesson(id: string, order: number): LessonRef {
  const module = id.split('/')[0] as LessonRef['data']['module'];
  return {
    id,
    data: { title: id, description: 'd'.repeat(20), module, order, duration: 10, objectives: ['a', 'b'], prerequisites: [] },
  };
}

const lessons = [lesson('slos/01-a', 1), lesson('load-testing/02-b', 2), lesson('load-testing/01-a', 1), lesson('roundtable/01-a', 1)];

describe('course outline', () => {
  it('orders modules as the curriculum does and lessons by their order', () => {
    const outline = buildOutline(lessons);
    expect(outline.map((m) => m.module.slug)).toEqual(['load-testing', 'slos', 'database-observability', 'roundtable']);
    expect(studyOrder(lessons).map((l) => l.id)).toEqual(['load-testing/01-a', 'load-testing/02-b', 'slos/01-a', 'roundtable/01-a']);
  });

  it('links the previous and next lesson across module boundaries', () => {
    const { previous, next } = neighbours(lessons, 'load-testing/02-b');
    expect(previous?.id).toBe('load-testing/01-a');
    expect(next?.id).toBe('slos/01-a');
    expect(neighbours(lessons, 'load-testing/01-a').previous).toBeUndefined();
    expect(neighbours(lessons, 'roundtable/01-a').next).toBeUndefined();
    expect(neighbours(lessons, 'missing/01-x')).toEqual({ previous: undefined, next: undefined });
  });

  it('estimates reading time from prose only', () => {
    const prose = Array.from({ length: 660 }, () => 'word').join(' ');
    const code = `\n\`\`\`js\n${Array.from({ length: 5000 }, () => 'x').join(' ')}\n\`\`\`\n`;
    expect(readingMinutes(`---\ntitle: t\n---\n${prose}${code}`)).toBe(3);
    expect(readingMinutes('')).toBe(1);
  });

  it('builds lesson URLs from ids', () => {
    expect(lessonUrl('slos/02-promql-essentials')).toBe('/lessons/slos/02-promql-essentials/');
  });
});
