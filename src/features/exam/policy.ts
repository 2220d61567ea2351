// Who may start an attempt, and when: eligibility (required labs passed and verified by the
// server) and the attempt policy (at most N attempts in a window, a cool-down between attempts).
import type { Blueprint } from './items.ts';

export interface EligibilityItem {
  label: string;
  done: boolean;
}

export type StartDecision = { allowed: true } | { allowed: false; reason: string; retryAt: Date | null };

export function eligibilityChecklist(
  blueprint: Blueprint,
  labs: readonly { id: string; title: string; taskIds: string[] }[],
  passed: ReadonlyMap<string, ReadonlySet<string>>,
): EligibilityItem[] {
  return blueprint.eligibility.labs.map((labId) => {
    const lab = labs.find((l) => l.id === labId);
    const done = !!lab && lab.taskIds.every((task) => passed.get(labId)?.has(task));
    return { label: `Pass every task of the lab “${lab?.title ?? labId}”, verified by the server`, done };
  });
}

export function decideStart(blueprint: Blueprint, previousStarts: readonly Date[], openAttempt: boolean, now: Date): StartDecision {
  if (openAttempt) return { allowed: false, reason: 'You already have an attempt in progress: resume it.', retryAt: null };
  const { maxAttempts, windowDays, cooldownHours } = blueprint.attempts;
  const latest = [...previousStarts].sort((a, b) => b.getTime() - a.getTime())[0];
  if (latest) {
    const cooledDown = new Date(latest.getTime() + cooldownHours * 3_600_000);
    if (cooledDown > now) return { allowed: false, reason: `Attempts must be ${cooldownHours} hours apart.`, retryAt: cooledDown };
  }
  const windowStart = now.getTime() - windowDays * 86_400_000;
  const recent = previousStarts.filter((d) => d.getTime() > windowStart).sort((a, b) => a.getTime() - b.getTime());
  if (recent.length >= maxAttempts) {
    const oldest = recent[0] as Date;
    return {
      allowed: false,
      reason: `At most ${maxAttempts} attempts in ${windowDays} days.`,
      retryAt: new Date(oldest.getTime() + windowDays * 86_400_000),
    };
  }
  return { allowed: true };
}

/** The deadline of an attempt started now, with the learner's time multiplier. */
export function attemptDeadline(blueprint: Blueprint, startedAt: Date, multiplier: number): Date {
  return new Date(startedAt.getTime() + Math.round(blueprint.timeLimitMinutes * 60_000 * multiplier));
}
