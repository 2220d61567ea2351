// Regression: another process writing to the SQLite file (here, this test process, as the admin CLI
// might) while the server runs transactions must not leave the server on a stale snapshot, where
// it stopped seeing new sessions (401) until restarted.
import { db } from '../../src/lib/server/db.server.ts';
import { withDbRetry } from '../../src/lib/server/db-retry.ts';
import { createLearner, expect, signInContext, test } from './fixtures.ts';

test('the server keeps seeing other processes’ writes while its own transactions run', async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  for (let round = 0; round < 6; round += 1) {
    const contexts = await Promise.all([0, 1].map(() => browser.newContext()));
    for (const context of contexts) await signInContext(context, baseURL ?? '', await createLearner());
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const other = await createLearner();
        await withDbRetry(() => db().user.deleteMany({ where: { id: other.userId } }));
      }
    })();
    const statuses = await Promise.all(
      contexts.map((context) =>
        context.request
          .put(`${baseURL}/api/progress/lessons/load-testing/01-slis-slos-and-slas`, {
            data: { completed: true, at: Date.now() },
            headers: { origin: baseURL ?? '' },
          })
          .then((r) => r.status()),
      ),
    );
    writing = false;
    await writer;
    expect(statuses).toEqual([200, 200]);
    await Promise.all(contexts.map((c) => c.close()));
  }
});
