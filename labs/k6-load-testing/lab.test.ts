// The k6 lab's graders: every starter script is graded "not yet", and a reference solution for
// each task (fixtures/) passes, including the server's re-run giving the same digest.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type K6TaskOutcome, runTask, type TaskOutcome } from '../runtime/lab/run-task.ts';
import { measureCapacity } from './capacity.ts';
import lab, { productApi } from './lab.ts';

const fixture = (task: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', `${task}.js`), 'utf8');
function k6Runs(outcome: TaskOutcome): K6TaskOutcome['runs'] {
  if (outcome.kind !== 'k6') throw new Error(`expected a k6 outcome, got ${outcome.kind}`);
  return outcome.runs;
}

const CORRECT_EXPLANATION = lab.tasks.find((t) => t.id === 'coordinated-omission')?.answer;

describe('the k6 load-testing lab', () => {
  it.each(lab.tasks.map((t) => t.id))('does not pass task %s with its starter script', async (taskId) => {
    const task = lab.tasks.find((t) => t.id === taskId);
    const outcome = await runTask(lab, taskId, task?.starter ?? '', 11, null);
    expect(outcome.verdict.pass).toBe(false);
    expect(outcome.verdict.message.length).toBeGreaterThan(10);
  });

  it('passes the smoke test with checks and thresholds', async () => {
    expect((await runTask(lab, 'smoke-test', fixture('smoke-test'), 3, null)).verdict).toMatchObject({ pass: true });
  });

  it('grades the breaking point against the simulated capacity, within 10 %', async () => {
    const capacity = measureCapacity(productApi, 300);
    expect(capacity).toBeGreaterThan(150);
    expect(capacity).toBeLessThan(200);
    const near = await runTask(lab, 'breaking-point', fixture('breaking-point'), 5, String(Math.round(capacity * 0.95)));
    expect(near.verdict).toMatchObject({ pass: true });
    const far = await runTask(lab, 'breaking-point', fixture('breaking-point'), 5, String(Math.round(capacity * 0.8)));
    expect(far.verdict.pass).toBe(false);
  });

  it('shows coordinated omission and accepts only the right explanation', async () => {
    const options = CORRECT_EXPLANATION?.kind === 'choice' ? CORRECT_EXPLANATION.options : [];
    const right = await runTask(lab, 'coordinated-omission', fixture('coordinated-omission'), 9, options[0] ?? null);
    expect(right.verdict).toMatchObject({ pass: true });
    const closed = k6Runs(right)[0]?.result.scenarios.find((s) => s.name === 'closed');
    const open = k6Runs(right)[0]?.result.scenarios.find((s) => s.name === 'open');
    expect(open?.p99 ?? 0).toBeGreaterThan(4 * (closed?.p99 ?? Number.POSITIVE_INFINITY));
    const wrong = await runTask(lab, 'coordinated-omission', fixture('coordinated-omission'), 9, options[1] ?? null);
    expect(wrong.verdict.pass).toBe(false);
  });

  it('accepts a CI gate that passes the healthy build and fails the regressed one', async () => {
    const outcome = await runTask(lab, 'ci-gate', fixture('ci-gate'), 13, null);
    expect(k6Runs(outcome).map((r) => r.result.exitCode)).toEqual([0, 99]);
    expect(outcome.verdict).toMatchObject({ pass: true });
  });

  it('produces the same digest for the same submission, and another for different code', async () => {
    const a = await runTask(lab, 'smoke-test', fixture('smoke-test'), 21, null);
    const b = await runTask(lab, 'smoke-test', fixture('smoke-test'), 21, null);
    const c = await runTask(lab, 'smoke-test', fixture('smoke-test').replace('sleep(1)', 'sleep(2)'), 21, null);
    expect(a.digest).toBe(b.digest);
    expect(a.digest).not.toBe(c.digest);
  });
});
