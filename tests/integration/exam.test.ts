// Exam attempts against a real database, on SQLite and PostgreSQL: eligibility and policy on the
// server, autosave revisions, deadlines, idempotent submission, the sweep, and integrity rules.
import { describe, expect, it } from 'vitest';
import { signUp } from '../../src/features/auth/accounts.server.ts';
import {
  credentialJwt,
  findCertificate,
  revokeCertificate,
  verifyWithHeadroom,
} from '../../src/features/certificates/certificates.server.ts';
import {
  attemptForCandidate,
  attemptResult,
  finaliseExpiredAttempts,
  startAttempt,
  submitAttempt,
} from '../../src/features/exam/attempts.server.ts';
import { loadBank } from '../../src/features/exam/bank.server.ts';
import { saveResponse } from '../../src/features/exam/responses.server.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { makeExamEligible } from '../support/exam-eligibility.ts';
import { PROVIDERS, useFreshDatabase } from '../support/use-database.ts';

const bank = loadBank();
const grace = bank.blueprint.graceSeconds;

async function learner(eligible = true): Promise<string> {
  const created = await signUp({
    name: 'Exam Taker',
    email: `exam-${Date.now()}-${Math.random()}@example.com`,
    password: 'a perfectly fine passphrase',
  });
  if (!created.ok) throw new Error('sign-up failed');
  const userId = created.value.userId;
  if (eligible) await makeExamEligible(userId);
  return userId;
}

async function started(userId: string, at = new Date()): Promise<string> {
  const result = await startAttempt(userId, at);
  if (!result.ok) throw new Error(result.error);
  return result.attemptId;
}

describe.each(PROVIDERS)('exam attempts on %s', (provider) => {
  useFreshDatabase(provider);

  it('refuses an ineligible learner and lists what is missing', async () => {
    const userId = await learner(false);
    expect(await startAttempt(userId)).toMatchObject({ ok: false, status: 403 });
  });

  it('starts once, with a server-set deadline, and refuses a second start while open', async () => {
    const userId = await learner();
    const now = new Date();
    const attemptId = await started(userId, now);
    const view = await attemptForCandidate(attemptId, userId, now);
    expect(view?.items.length).toBe(Object.values(bank.blueprint.itemsPerDomain).reduce((a, b) => a + b, 0));
    expect(new Date(view?.deadline ?? 0).getTime() - now.getTime()).toBe(bank.blueprint.timeLimitMinutes * 60_000);
    expect(await startAttempt(userId, now)).toMatchObject({ ok: false, status: 409 });
    expect(JSON.stringify(view)).not.toMatch(/rationale|"key"/);
  });

  it('keeps the newest revision: retries are idempotent and a stale save never overwrites', async () => {
    const userId = await learner();
    const attemptId = await started(userId);
    const view = await attemptForCandidate(attemptId, userId);
    const item = view?.items.find((i) => i.kind === 'single');
    if (!item) throw new Error('no single item in the form');
    const save = (choice: string, revision: number) =>
      saveResponse({ attemptId, userId, itemId: item.id, answer: { choice }, flagged: false, revision }, grace);
    expect(await save('1', 1)).toMatchObject({ status: 'saved', revision: 1 });
    expect(await save('2', 2)).toMatchObject({ status: 'saved', revision: 2 });
    expect(await save('2', 2)).toMatchObject({ status: 'stale', revision: 2 });
    expect(await save('3', 1)).toMatchObject({ status: 'stale', revision: 2 });
    const again = await attemptForCandidate(attemptId, userId);
    expect(again?.items.find((i) => i.id === item.id)).toMatchObject({ answer: { choice: '2' }, revision: 2 });
  });

  it('stays consistent when two tabs save concurrently', async () => {
    const userId = await learner();
    const attemptId = await started(userId);
    const item = (await attemptForCandidate(attemptId, userId))?.items.find((i) => i.kind === 'single');
    if (!item) throw new Error('no single item');
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        saveResponse(
          { attemptId, userId, itemId: item.id, answer: { choice: String((i % 3) + 1) }, flagged: i % 2 === 0, revision: i + 1 },
          grace,
        ),
      ),
    );
    const stored = await db().examResponse.findUnique({ where: { attemptId_itemId: { attemptId, itemId: item.id } } });
    expect(stored?.revision).toBe(30);
  });

  it('rejects answers for items not in the attempt, of the wrong shape, or to another learner’s attempt', async () => {
    const userId = await learner();
    const attemptId = await started(userId);
    const view = await attemptForCandidate(attemptId, userId);
    const outside = bank.items.find((i) => !view?.items.some((v) => v.id === i.id));
    expect(
      await saveResponse({ attemptId, userId, itemId: outside?.id ?? 'x', answer: { choice: '1' }, flagged: false, revision: 1 }, grace),
    ).toMatchObject({ status: 'invalid' });
    const numericItem = view?.items.find((i) => i.kind === 'numeric');
    if (numericItem)
      expect(
        await saveResponse({ attemptId, userId, itemId: numericItem.id, answer: { choice: '1' }, flagged: false, revision: 1 }, grace),
      ).toMatchObject({ status: 'invalid' });
    const intruder = await learner();
    expect(
      await saveResponse(
        { attemptId, userId: intruder, itemId: view?.items[0]?.id ?? '', answer: null, flagged: false, revision: 1 },
        grace,
      ),
    ).toEqual({ status: 'not-found' });
    expect(await attemptForCandidate(attemptId, intruder)).toBeNull();
    expect(await submitAttempt(attemptId, intruder)).toEqual({ ok: false, status: 404 });
  });

  it('saves a query answer with its parse check, and scores queries by their result on the hidden data', async () => {
    const userId = await learner();
    const attemptId = await started(userId);
    const view = await attemptForCandidate(attemptId, userId);
    const queries = view?.items.filter((i) => i.kind === 'promql') ?? [];
    expect(queries.length).toBe(bank.blueprint.itemsPerType.slos?.promql);
    const [first, second] = queries;
    const firstItem = bank.byId.get(first?.id ?? '');
    const secondItem = bank.byId.get(second?.id ?? '');
    if (firstItem?.type !== 'promql' || secondItem?.type !== 'promql') throw new Error('no promql items on the form');
    const save = (itemId: string, query: string, revision: number) =>
      saveResponse({ attemptId, userId, itemId, answer: { query }, flagged: false, revision }, grace);
    expect(await save(firstItem.id, 'sum(rate(x[5m])', 1)).toMatchObject({
      status: 'saved',
      syntax: { line: 1, column: expect.any(Number), message: expect.stringContaining('parse error') },
    });
    // A right answer written differently from the key, and a plausible wrong one.
    expect(await save(firstItem.id, firstItem.alsoRight[0] ?? firstItem.key, 2)).toMatchObject({ status: 'saved', syntax: null });
    expect(await save(secondItem.id, secondItem.wrongAnswers[0] ?? '', 1)).toMatchObject({ status: 'saved', syntax: null });
    expect(await save(secondItem.id, 'x', 2)).toMatchObject({ status: 'saved' });
    expect(await save(secondItem.id, secondItem.wrongAnswers[0] ?? '', 3)).toMatchObject({ status: 'saved' });
    expect(
      await saveResponse({ attemptId, userId, itemId: firstItem.id, answer: { value: 1 }, flagged: false, revision: 3 }, grace),
    ).toMatchObject({ status: 'invalid', message: expect.stringContaining('needs a query') });
    await submitAttempt(attemptId, userId);
    const score = await db().examScore.findUnique({ where: { attemptId } });
    const perItem = JSON.parse(score?.perItem ?? '{}') as Record<string, number>;
    expect(perItem[firstItem.id]).toBe(1);
    expect(perItem[secondItem.id]).toBe(0);
  });

  it('refuses saves after the deadline plus grace, and the sweep scores the expired attempt', async () => {
    const userId = await learner();
    const startedAt = new Date(Date.now() - (bank.blueprint.timeLimitMinutes * 60 + grace + 2) * 1000);
    const attemptId = await started(userId, startedAt);
    const item = (await attemptForCandidate(attemptId, userId, startedAt))?.items[0];
    const late = await saveResponse({ attemptId, userId, itemId: item?.id ?? '', answer: null, flagged: true, revision: 1 }, grace);
    expect(late).toMatchObject({ status: 'closed', message: expect.stringContaining('Time is up') });
    expect(await finaliseExpiredAttempts(new Date(), userId)).toBe(1);
    expect(await finaliseExpiredAttempts(new Date(), userId)).toBe(0);
    expect((await db().examAttempt.findUnique({ where: { id: attemptId } }))?.status).toBe('expired');
    expect(await attemptResult(attemptId, userId)).toMatchObject({ status: 'expired', passed: false });
    expect(await db().certificate.count({ where: { attemptId } })).toBe(0);
  });

  it('accepts a save within the grace after the deadline', async () => {
    const userId = await learner();
    const startedAt = new Date(Date.now() - (bank.blueprint.timeLimitMinutes * 60 + 1) * 1000);
    const attemptId = await started(userId, startedAt);
    const item = (await attemptForCandidate(attemptId, userId, startedAt))?.items[0];
    expect(
      await saveResponse({ attemptId, userId, itemId: item?.id ?? '', answer: null, flagged: true, revision: 1 }, grace),
    ).toMatchObject({ status: 'saved' });
  });

  it('scores on submission, once, even when submitted twice at the same moment', async () => {
    const userId = await learner();
    const attemptId = await started(userId);
    const view = await attemptForCandidate(attemptId, userId);
    for (const item of view?.items ?? []) {
      const key = bank.byId.get(item.id);
      if (!key) continue;
      // Answer every item correctly, through the display-position mapping.
      const order = JSON.parse(
        (await db().attemptItem.findFirst({ where: { attemptId, itemId: item.id } }))?.optionOrder ?? '[]',
      ) as string[];
      const pos = (id: string) => String(order.indexOf(id) + 1);
      const kind = item.kind;
      const answer =
        kind === 'promql'
          ? { query: key.key as string }
          : kind === 'numeric'
            ? { value: (key.key as { value: number }).value }
            : kind === 'single'
              ? { choice: pos(key.key as string) }
              : kind === 'multiple'
                ? { choices: (key.key as string[]).map(pos) }
                : { order: (key.key as string[]).map(pos) };
      expect(await saveResponse({ attemptId, userId, itemId: item.id, answer, flagged: false, revision: 1 }, grace)).toMatchObject({
        status: 'saved',
      });
    }
    await Promise.all([submitAttempt(attemptId, userId), submitAttempt(attemptId, userId), submitAttempt(attemptId, userId)]);
    expect(await db().examScore.count({ where: { attemptId } })).toBe(1);
    // A passing attempt earns exactly one certificate, whose signed credential verifies.
    const certificates = await db().certificate.findMany({ where: { attemptId } });
    expect(certificates).toHaveLength(1);
    const certificateId = certificates[0]?.id ?? '';
    expect(certificateId).toMatch(/^[0-9a-f]{32}$/);
    const jwt = await credentialJwt(certificateId, 'https://headroom.example');
    expect(await verifyWithHeadroom(jwt ?? '')).toMatchObject({ valid: true, credential: { credentialSubject: { name: 'Exam Taker' } } });
    expect(await revokeCertificate(certificateId, 'exam irregularity')).toBe(true);
    expect(await verifyWithHeadroom(jwt ?? '')).toMatchObject({
      valid: false,
      step: 'status',
      reason: 'The credential was revoked: exam irregularity',
    });
    expect(await findCertificate(certificateId)).toMatchObject({ status: 'revoked' });
    expect(await attemptResult(attemptId, userId)).toMatchObject({
      reported: bank.blueprint.reportedScale.max,
      passed: true,
      status: 'submitted',
    });
    expect(
      await saveResponse({ attemptId, userId, itemId: view?.items[0]?.id ?? '', answer: null, flagged: false, revision: 9 }, grace),
    ).toMatchObject({ status: 'closed' });
    // After a submission, the next start waits for the cool-down.
    expect(await startAttempt(userId)).toMatchObject({ ok: false, status: 409 });
  });
});
