// A grader that throws is a bug in the lab, not the learner's fault: say so instead of crashing the run.
import type { Verdict } from '../definition.ts';

export function gradeSafely(grade: () => Verdict): Verdict {
  try {
    return grade();
  } catch (error) {
    return { pass: false, message: `The grader failed (${(error as Error).message}); this is a bug in the lab, please report it.` };
  }
}
