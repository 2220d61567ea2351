// Exam attempts: start (eligibility and policy checked on the server, deadline set by the server),
// the attempt as the candidate sees it, submission (idempotent) and the sweep that finalises
// attempts whose time ran out. Scoring happens here, on the server, and nowhere else.
import { randomInt } from 'node:crypto';
import { LABS } from '../../../labs/registry.ts';
import { db } from '../../lib/server/db.server.ts';
import { withDbRetry } from '../../lib/server/db-retry.ts';
import { issueCertificateFor } from '../certificates/certificates.server.ts';
import { passedTasks } from '../labs/lab-runs.server.ts';
import { type Bank, loadBank } from './bank.server.ts';
import { assembleExamForm } from './form.ts';
import type { PublicItem } from './items.ts';
import { attemptDeadline, decideStart, type EligibilityItem, eligibilityChecklist } from './policy.ts';
import { gradePromqlAnswer } from './promql-items.ts';
import { type SubmittedAnswer, toPublicItem, toSubmittedAnswer } from './public-item.ts';
import { type AttemptScore, type StoredAnswer, scoreAttempt } from './scoring.ts';

export interface ExamStatus {
  eligibility: EligibilityItem[];
  eligible: boolean;
  openAttemptId: string | null;
  start: ReturnType<typeof decideStart>;
  attempts: { id: string; startedAt: Date; status: string; reported: number | null; passed: boolean | null }[];
}

export async function examStatus(userId: string, now = new Date(), bank: Bank = loadBank()): Promise<ExamStatus> {
  const labs = LABS.map((lab) => ({ id: lab.id, title: lab.title, taskIds: lab.tasks.map((t) => t.id) }));
  const passed = await passedTasks(userId, new Map(LABS.map((lab) => [lab.id, lab.version])));
  const eligibility = eligibilityChecklist(bank.blueprint, labs, passed);
  await finaliseExpiredAttempts(now, userId);
  const attempts = await db().examAttempt.findMany({
    where: { userId },
    orderBy: { startedAt: 'desc' },
    select: { id: true, startedAt: true, status: true, score: { select: { reported: true, passed: true } } },
  });
  const open = attempts.find((a) => a.status === 'in_progress');
  return {
    eligibility,
    eligible: eligibility.every((e) => e.done),
    openAttemptId: open?.id ?? null,
    start: decideStart(
      bank.blueprint,
      attempts.map((a) => a.startedAt),
      !!open,
      now,
    ),
    attempts: attempts.map((a) => ({
      id: a.id,
      startedAt: a.startedAt,
      status: a.status,
      reported: a.score?.reported ?? null,
      passed: a.score?.passed ?? null,
    })),
  };
}

export type StartResult = { ok: true; attemptId: string } | { ok: false; status: 403 | 409; error: string; retryAt: Date | null };

export async function startAttempt(userId: string, now = new Date(), bank: Bank = loadBank()): Promise<StartResult> {
  const status = await examStatus(userId, now, bank);
  if (!status.eligible) return { ok: false, status: 403, error: 'You are not eligible yet: finish the checklist first.', retryAt: null };
  if (!status.start.allowed) return { ok: false, status: 409, error: status.start.reason, retryAt: status.start.retryAt };
  const previous = status.attempts[0]
    ? await db().attemptItem.findMany({ where: { attemptId: status.attempts[0].id }, select: { itemId: true } })
    : [];
  // Seeds stay below 2^31: they are stored in a 32-bit signed INTEGER column on PostgreSQL.
  const seed = randomInt(0, 0x7fffffff);
  const form = assembleExamForm(bank.items, bank.blueprint, seed, new Set(previous.map((p) => p.itemId)));
  const user = await db().user.findUnique({ where: { id: userId }, select: { examTimeMultiplier: true } });
  const multiplier = user?.examTimeMultiplier ?? 1;
  const id = crypto.randomUUID();
  await withDbRetry(() =>
    db().$transaction(async (tx) => {
      // Re-checked inside the transaction: two tabs pressing Start at once get one attempt.
      const open = await tx.examAttempt.count({ where: { userId, status: 'in_progress' } });
      if (open > 0) throw Object.assign(new Error('attempt already open'), { code: 'OPEN_ATTEMPT' });
      await tx.examAttempt.create({
        data: {
          id,
          userId,
          blueprintVersion: bank.blueprint.version,
          formSeed: seed,
          startedAt: now,
          deadline: attemptDeadline(bank.blueprint, now, multiplier),
          status: 'in_progress',
          timeMultiplier: multiplier,
        },
      });
      await tx.attemptItem.createMany({
        data: form.map((item, position) => ({
          attemptId: id,
          position,
          itemId: item.itemId,
          itemVersion: item.itemVersion,
          domain: item.domain,
          optionOrder: JSON.stringify(item.optionOrder),
        })),
      });
    }),
  ).catch((error: unknown) => {
    if ((error as { code?: string }).code === 'OPEN_ATTEMPT') return 'open';
    throw error;
  });
  const created = await db().examAttempt.findUnique({ where: { id }, select: { id: true } });
  if (!created) return { ok: false, status: 409, error: 'You already have an attempt in progress: resume it.', retryAt: null };
  return { ok: true, attemptId: id };
}

export interface AttemptView {
  id: string;
  status: string;
  startedAt: string;
  deadline: string;
  serverNow: string;
  graceSeconds: number;
  items: (PublicItem & { position: number; answer: SubmittedAnswer | null; revision: number; flagged: boolean })[];
}

/** The attempt for its owner only (anyone else gets null, shown as 404). */
export async function attemptForCandidate(
  attemptId: string,
  userId: string,
  now = new Date(),
  bank: Bank = loadBank(),
): Promise<AttemptView | null> {
  await finaliseExpiredAttempts(now, userId);
  const attempt = await db().examAttempt.findFirst({
    where: { id: attemptId, userId },
    select: {
      id: true,
      status: true,
      startedAt: true,
      deadline: true,
      items: { orderBy: { position: 'asc' }, select: { position: true, itemId: true, optionOrder: true } },
      responses: { select: { itemId: true, answer: true, revision: true, flagged: true } },
    },
  });
  if (!attempt) return null;
  const responses = new Map(attempt.responses.map((r) => [r.itemId, r]));
  return {
    id: attempt.id,
    status: attempt.status,
    startedAt: attempt.startedAt.toISOString(),
    deadline: attempt.deadline.toISOString(),
    serverNow: now.toISOString(),
    graceSeconds: bank.blueprint.graceSeconds,
    items: attempt.items.map((row) => {
      const item = bank.byId.get(row.itemId);
      if (!item) throw new Error(`attempt ${attempt.id} uses item ${row.itemId}, which is no longer in the bank`);
      const order = JSON.parse(row.optionOrder) as string[];
      const response = responses.get(row.itemId);
      return {
        ...toPublicItem(item, order),
        position: row.position,
        answer: response ? toSubmittedAnswer(JSON.parse(response.answer) as StoredAnswer, order) : null,
        revision: response?.revision ?? 0,
        flagged: response?.flagged ?? false,
      };
    }),
  };
}

/**
 * Grades the attempt's promql answers before the scoring transaction: evaluating a query can take
 * up to its timeout, which must not be spent holding the database's write lock. The grades are
 * memoised, so scoring inside the transaction finds them (and grades again only an answer saved
 * in between).
 */
async function gradeQueriesAhead(attemptId: string, bank: Bank): Promise<void> {
  const responses = await db().examResponse.findMany({ where: { attemptId }, select: { itemId: true, answer: true } });
  for (const response of responses) {
    const item = bank.byId.get(response.itemId);
    if (item?.type !== 'promql') continue;
    const answer = JSON.parse(response.answer) as StoredAnswer | null;
    if (answer !== null && 'query' in answer) gradePromqlAnswer(item, answer.query);
  }
}

async function scoreAndClose(attemptId: string, finalStatus: 'submitted' | 'expired', at: Date, bank: Bank): Promise<void> {
  await gradeQueriesAhead(attemptId, bank);
  await withDbRetry(() =>
    db().$transaction(async (tx) => {
      // Only the first finaliser wins; a second submit or the sweep racing it changes nothing.
      const { count } = await tx.examAttempt.updateMany({
        where: { id: attemptId, status: 'in_progress' },
        data: { status: finalStatus, submittedAt: at },
      });
      if (count === 0) return;
      const [items, responses] = await Promise.all([
        tx.attemptItem.findMany({ where: { attemptId }, select: { itemId: true } }),
        tx.examResponse.findMany({ where: { attemptId }, select: { itemId: true, answer: true } }),
      ]);
      const bankItems = items.map((i) => bank.byId.get(i.itemId)).filter((i) => i !== undefined);
      const answers = new Map(responses.map((r) => [r.itemId, JSON.parse(r.answer) as StoredAnswer]));
      const score: AttemptScore = scoreAttempt(bankItems, answers, bank.blueprint);
      await tx.examScore.create({
        data: {
          attemptId,
          raw: score.raw,
          reported: score.reported,
          passed: score.passed,
          perDomain: JSON.stringify(score.perDomain),
          perItem: JSON.stringify(score.perItem),
          scoredAt: at,
        },
      });
    }),
  );
}

export type SubmitResult = { ok: true } | { ok: false; status: 404 };

/** Submitting twice is harmless: the second call finds the attempt already closed. */
export async function submitAttempt(attemptId: string, userId: string, now = new Date(), bank: Bank = loadBank()): Promise<SubmitResult> {
  const attempt = await db().examAttempt.findFirst({ where: { id: attemptId, userId }, select: { deadline: true, status: true } });
  if (!attempt) return { ok: false, status: 404 };
  if (attempt.status === 'in_progress') {
    const late = now.getTime() > attempt.deadline.getTime() + bank.blueprint.graceSeconds * 1000;
    await scoreAndClose(attemptId, late ? 'expired' : 'submitted', late ? attempt.deadline : now, bank);
  }
  // Idempotent: a passing attempt has exactly one certificate.
  await issueCertificateFor(attemptId);
  return { ok: true };
}

/** Finalises attempts past their deadline (and grace): when next touched, and by a periodic sweep. */
export async function finaliseExpiredAttempts(now = new Date(), userId?: string, bank: Bank = loadBank()): Promise<number> {
  const cutoff = new Date(now.getTime() - bank.blueprint.graceSeconds * 1000);
  const expired = await db().examAttempt.findMany({
    where: { status: 'in_progress', deadline: { lt: cutoff }, ...(userId ? { userId } : {}) },
    select: { id: true, deadline: true },
  });
  for (const attempt of expired) {
    await scoreAndClose(attempt.id, 'expired', attempt.deadline, bank);
    await issueCertificateFor(attempt.id);
  }
  return expired.length;
}

export interface AttemptResult {
  id: string;
  status: string;
  reported: number;
  passed: boolean;
  passingScore: number;
  scale: { min: number; max: number };
  domains: { domain: string; percent: number; items: number }[];
}

export async function attemptResult(attemptId: string, userId: string, bank: Bank = loadBank()): Promise<AttemptResult | null> {
  const attempt = await db().examAttempt.findFirst({ where: { id: attemptId, userId }, select: { id: true, status: true, score: true } });
  if (!attempt?.score) return null;
  const perDomain = JSON.parse(attempt.score.perDomain) as Record<string, { credit: number; items: number }>;
  return {
    id: attempt.id,
    status: attempt.status,
    reported: attempt.score.reported,
    passed: attempt.score.passed,
    passingScore: bank.blueprint.passingScore,
    scale: bank.blueprint.reportedScale,
    domains: Object.entries(perDomain).map(([domain, d]) => ({
      domain,
      percent: Math.round((100 * d.credit) / Math.max(1, d.items)),
      items: d.items,
    })),
  };
}
