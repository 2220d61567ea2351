// The editorial rules every lesson must meet, as data the checker script and the tests share.
import { auditLessonSource, lessonIdFromPath } from './lesson-audit.ts';
import { LessonFrontmatterSchema, MODULE_SLUGS } from './schemas.ts';

export const MIN_PROSE_WORDS = 600;
export const MIN_LESSONS_PER_MODULE = 4;

export interface LessonReport {
  id: string;
  proseWords: number;
  figureCount: number;
  problems: string[];
}

export interface CurriculumIndex {
  termIds: ReadonlySet<string>;
  lessonIds: ReadonlySet<string>;
}

export function checkLesson(filePath: string, source: string, index: CurriculumIndex): LessonReport {
  const id = lessonIdFromPath(filePath) ?? filePath;
  const problems: string[] = [];
  const report: LessonReport = { id, proseWords: 0, figureCount: 0, problems };
  if (lessonIdFromPath(filePath) === undefined || !/^[a-z-]+\/\d{2}-[a-z0-9-]+$/.test(id)) {
    problems.push('file must be content/lessons/<module>/<nn>-<slug>.mdx');
  }
  const audited = auditLessonSource(source);
  if (!audited.ok) {
    problems.push(audited.error);
    return report;
  }
  const audit = audited.value;
  report.proseWords = audit.proseWords;
  report.figureCount = audit.figureCount;

  const parsed = LessonFrontmatterSchema.safeParse(audit.frontmatter ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`frontmatter field "${issue.path.join('.') || '(root)'}": ${issue.message}`);
  } else {
    const [folder, file] = id.split('/');
    const fm = parsed.data;
    if (fm.module !== folder) problems.push(`frontmatter field "module": "${fm.module}" but the file is in "${folder}"`);
    if (file !== undefined && Number(file.slice(0, 2)) !== fm.order) {
      problems.push(`frontmatter field "order": ${fm.order} but the file name starts with ${file.slice(0, 2)}`);
    }
    for (const prerequisite of fm.prerequisites) {
      if (!index.lessonIds.has(prerequisite)) problems.push(`frontmatter field "prerequisites": unknown lesson "${prerequisite}"`);
      if (prerequisite === id) problems.push('frontmatter field "prerequisites": a lesson cannot require itself');
    }
    if (!MODULE_SLUGS.includes(fm.module)) problems.push(`unknown module ${fm.module}`);
  }

  if (audit.proseWords < MIN_PROSE_WORDS) problems.push(`only ${audit.proseWords} words of prose (at least ${MIN_PROSE_WORDS})`);
  if (audit.headings.some((h) => h.depth === 1)) problems.push('uses a level-1 heading; the title comes from frontmatter');
  const h2 = audit.headings.filter((h) => h.depth === 2).map((h) => h.text.toLowerCase());
  if (!h2.includes('key takeaways')) problems.push('has no "## Key takeaways" section');
  if (!h2.includes('check your understanding')) problems.push('has no "## Check your understanding" section');
  if (audit.checkCount < 2) problems.push(`has ${audit.checkCount} <Check> questions (at least 2)`);
  if (audit.codeBlockCount < 1) problems.push('has no worked example in a code block');
  for (const termId of new Set(audit.termIds)) {
    if (!index.termIds.has(termId)) problems.push(`<Term id="${termId}"> is not in content/glossary`);
  }
  return report;
}
