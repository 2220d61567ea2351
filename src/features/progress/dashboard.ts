// What the dashboard shows, computed from progress and the catalog: per-module progress, where to
// continue, and the certification checklist. Pure.
import { type LessonRef, lessonUrl, studyOrder } from '../curriculum/outline.ts';
import { MODULES, type Module } from '../curriculum/schemas.ts';
import type { ExamStatus } from '../exam/attempts.server.ts';
import type { ProgressSnapshot } from './progress.server.ts';

export interface SessionRef {
  id: string;
  title: string;
  module: string;
  durationSeconds: number;
}

export interface ModuleProgress {
  module: Module;
  lessonsDone: number;
  lessonsTotal: number;
  sessionWatched: boolean | undefined;
}

export type ContinueTarget =
  | { kind: 'session'; title: string; href: string; position: number }
  | { kind: 'lesson'; title: string; href: string }
  | null;

export interface ChecklistItem {
  label: string;
  done: boolean;
  detail: string;
  /** Where to act on this item. */
  href?: string;
}

/** The exam as the dashboard shows it. */
export interface ExamProgress {
  eligible: boolean;
  passed: boolean;
  /** The attempt in progress, to resume. */
  resumeHref: string | null;
  /** The most recent scored attempt. */
  latest: { reported: number; passed: boolean; href: string } | null;
  passingScore: number;
}

export function examProgress(status: Pick<ExamStatus, 'eligible' | 'openAttemptId' | 'attempts'>, passingScore: number): ExamProgress {
  // Attempts come newest first.
  const latest = status.attempts.find((a) => a.reported !== null);
  return {
    eligible: status.eligible,
    passed: status.attempts.some((a) => a.passed === true),
    resumeHref: status.openAttemptId ? `/exam/attempts/${status.openAttemptId}/` : null,
    latest:
      latest && latest.reported !== null
        ? { reported: latest.reported, passed: latest.passed === true, href: `/exam/attempts/${latest.id}/result/` }
        : null,
    passingScore,
  };
}

function examDetail(exam: ExamProgress): string {
  if (exam.resumeHref) return 'An attempt is in progress: resume it from the exam page';
  if (exam.latest)
    return `Latest attempt: ${exam.latest.reported}, ${exam.latest.passed ? 'passed' : `not passed (${exam.passingScore} needed)`}`;
  return exam.eligible ? 'You are eligible: start when you are ready' : 'Opens once the hands-on labs are passed';
}

export function moduleProgress(lessons: LessonRef[], sessions: SessionRef[], progress: ProgressSnapshot): ModuleProgress[] {
  return MODULES.map((module) => {
    const own = lessons.filter((l) => l.data.module === module.slug);
    const session = sessions.find((s) => s.module === module.slug);
    return {
      module,
      lessonsDone: own.filter((l) => progress.lessons[l.id]?.completed).length,
      lessonsTotal: own.length,
      sessionWatched: session ? (progress.sessions[session.id]?.watched ?? false) : undefined,
    };
  });
}

/** The most recent unfinished session, or else the first lesson not yet completed. */
export function continueWhereLeftOff(lessons: LessonRef[], sessions: SessionRef[], progress: ProgressSnapshot): ContinueTarget {
  const started = sessions
    .map((s) => ({ s, p: progress.sessions[s.id] }))
    .filter(({ s, p }) => p && !p.watched && p.position > 5 && p.position < s.durationSeconds - 5)
    .sort((a, b) => (b.p?.at ?? 0) - (a.p?.at ?? 0))[0];
  const lastLessonAt = Math.max(0, ...Object.values(progress.lessons).map((l) => l.at));
  const nextLesson = studyOrder(lessons).find((l) => !progress.lessons[l.id]?.completed);
  if (started?.p && (started.p.at >= lastLessonAt || !nextLesson)) {
    return {
      kind: 'session',
      title: started.s.title,
      href: `/sessions/${started.s.id}/?t=${Math.floor(started.p.position)}`,
      position: started.p.position,
    };
  }
  return nextLesson ? { kind: 'lesson', title: nextLesson.data.title, href: lessonUrl(nextLesson.id) } : null;
}

export interface LabRef {
  id: string;
  title: string;
  taskIds: string[];
}

export function certificationChecklist(
  lessons: LessonRef[],
  sessions: SessionRef[],
  progress: ProgressSnapshot,
  labs: LabRef[],
  passed: ReadonlyMap<string, ReadonlySet<string>>,
  exam: ExamProgress,
): ChecklistItem[] {
  const lessonsDone = lessons.filter((l) => progress.lessons[l.id]?.completed).length;
  const watched = sessions.filter((s) => progress.sessions[s.id]?.watched).length;
  const tasks = labs.flatMap((lab) => lab.taskIds.map((task) => ({ lab: lab.id, task })));
  const tasksPassed = tasks.filter(({ lab, task }) => passed.get(lab)?.has(task)).length;
  return [
    {
      label: 'Complete every lesson',
      done: lessonsDone === lessons.length && lessons.length > 0,
      detail: `${lessonsDone} of ${lessons.length} lessons`,
    },
    {
      label: 'Watch every session',
      done: watched === sessions.length && sessions.length > 0,
      detail: `${watched} of ${sessions.length} sessions (90 % of each actually played)`,
    },
    {
      label: 'Pass the hands-on labs',
      done: tasks.length > 0 && tasksPassed === tasks.length,
      detail: `${tasksPassed} of ${tasks.length} lab tasks passed and verified by the server`,
    },
    { label: 'Pass the certification exam', done: exam.passed, detail: examDetail(exam), href: '/exam/' },
  ];
}
