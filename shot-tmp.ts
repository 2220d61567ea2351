import { chromium } from '@playwright/test';
import { issueCertificateFor } from './src/features/certificates/certificates.server.ts';
import { db } from './src/lib/server/db.server.ts';
import { createLearner, signInContext } from './tests/e2e/fixtures.ts';
import { CHROMIUM_ARGS, chromiumPath } from './tests/support/chromium.ts';
import { makeExamEligible } from './tests/support/exam-eligibility.ts';

const base = 'http://localhost:4400';
const learner = await createLearner('instructor');
await makeExamEligible(learner.userId);
const now = new Date();
const attemptId = crypto.randomUUID();
await db().examAttempt.create({
  data: {
    id: attemptId,
    userId: learner.userId,
    blueprintVersion: 1,
    formSeed: 1,
    startedAt: now,
    deadline: now,
    submittedAt: now,
    status: 'submitted',
    score: { create: { raw: 0.9, reported: 910, passed: true, perDomain: '{}', perItem: '{}', scoredAt: now } },
  },
});
const id = await issueCertificateFor(attemptId);
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
await signInContext(context, base, learner);
const page = await context.newPage();
for (const [name, url] of [
  ['verify', `/verify/${id}`],
  ['dashboard', '/dashboard/'],
  ['admin', '/admin/certificates/'],
  ['result', `/exam/attempts/${attemptId}/result/`],
]) {
  await page.goto(base + url);
  await page.screenshot({ path: `/tmp/shot-${name}.png`, fullPage: true });
}
const small = await browser.newPage({ viewport: { width: 360, height: 800 } });
await small.goto(`${base}/verify/${id}`);
await small.screenshot({ path: '/tmp/shot-verify-360.png', fullPage: true });
console.log(id);
await browser.close();
