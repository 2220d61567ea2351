// Issue 5's reliability test: 200 candidates autosaving, the server killed with SIGKILL and
// restarted; zero acknowledged saves lost, every attempt resumes with its deadline.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

for (const provider of ['sqlite', 'postgresql'] as const) {
  test(`no acknowledged save is lost when the server is killed mid-exam (${provider})`, async () => {
    test.setTimeout(180_000);
    const { stdout } = await run(process.execPath, ['scripts/exam-reliability.ts', provider], { cwd: root, timeout: 170_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      candidates: number;
      acknowledged: number;
      lost: number;
      wrongDeadline: number;
    };
    expect(result.candidates).toBe(200);
    expect(result.acknowledged).toBeGreaterThan(200);
    expect(result.lost).toBe(0);
    expect(result.wrongDeadline).toBe(0);
  });
}
