// Orders lessons into the course outline and answers the questions pages ask of it: which module,
// which lessons, what comes before and after, how long it takes to read. Pure: no Astro imports.
import { countWords } from './lesson-audit-words.ts';
import { type LessonFrontmatter, MODULES, type Module } from './schemas.ts';

export interface LessonRef {
  id: string;
  data: LessonFrontmatter;
  body?: string | undefined;
}

export interface OutlineModule<L extends LessonRef> {
  module: Module;
  lessons: L[];
}

export const READING_WORDS_PER_MINUTE = 220;

/** `load-testing/03-workload-models` → `{ module: 'load-testing', slug: '03-workload-models' }` */
export function splitLessonId(id: string): { module: string; slug: string } {
  const [module = '', slug = ''] = id.split('/');
  return { module, slug };
}

export function lessonUrl(id: string): string {
  return `/lessons/${id}/`;
}

export function buildOutline<L extends LessonRef>(lessons: L[]): OutlineModule<L>[] {
  return MODULES.map((module) => ({
    module,
    lessons: lessons.filter((l) => l.data.module === module.slug).sort((a, b) => a.data.order - b.data.order),
  }));
}

/** The lessons in study order: module by module, then by `order`. */
export function studyOrder<L extends LessonRef>(lessons: L[]): L[] {
  return buildOutline(lessons).flatMap((m) => m.lessons);
}

export function neighbours<L extends LessonRef>(lessons: L[], id: string): { previous: L | undefined; next: L | undefined } {
  const ordered = studyOrder(lessons);
  const index = ordered.findIndex((l) => l.id === id);
  if (index === -1) return { previous: undefined, next: undefined };
  return { previous: ordered[index - 1], next: ordered[index + 1] };
}

/** Minutes to read the body's prose (code fences, SVG markup and frontmatter skipped). */
export function readingMinutes(body: string): number {
  const prose = body
    .replace(/^---[\s\S]*?---/, '')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/<svg[\s\S]*?<\/svg>/g, '')
    .replace(/<[^>]+>/g, ' ');
  return Math.max(1, Math.round(countWords(prose) / READING_WORDS_PER_MINUTE));
}
