// A genuine lab submission over HTTP: a seed issued by the server, the fixture script, and the
// digest the browser would report (the same runtime, run here in Node).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import lab from '../../labs/k6-load-testing/lab.ts';
import { runTask } from '../../labs/runtime/lab/run-task.ts';

const root = path.resolve(import.meta.dirname, '../..');

export async function submitSmokeTest(baseUrl: string, cookie: string): Promise<Response> {
  const issued = (await (await fetch(`${baseUrl}/api/labs/k6-load-testing/seed?task=smoke-test`, { headers: { cookie } })).json()) as {
    seed: number;
    token: string;
    version: number;
  };
  const code = readFileSync(path.join(root, 'labs/k6-load-testing/fixtures/smoke-test.js'), 'utf8');
  const { digest } = await runTask(lab, 'smoke-test', code, issued.seed, null);
  return fetch(`${baseUrl}/api/labs/k6-load-testing/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: baseUrl },
    body: JSON.stringify({
      version: issued.version,
      taskId: 'smoke-test',
      seed: issued.seed,
      token: issued.token,
      code,
      answer: null,
      digest,
    }),
  });
}
