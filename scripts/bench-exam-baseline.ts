// The bench:exam baseline: a bare node:http server that parses the body and performs the same
// conditional upsert through the same driver (the Prisma client and adapter), with no sign-in,
// validation, framework or batching. Run by scripts/bench-exam.ts.
import { createServer } from 'node:http';
import { databaseTarget, db } from '../src/lib/server/db.server.ts';

const SQLITE = `INSERT INTO "ExamResponse" ("attemptId", "itemId", "answer", "flagged", "revision", "savedAt")
SELECT ?, ?, ?, 0, ?, ? WHERE EXISTS (SELECT 1 FROM "ExamAttempt" WHERE "id" = ? AND "status" = 'in_progress')
ON CONFLICT ("attemptId", "itemId") DO UPDATE SET "answer" = excluded."answer", "revision" = excluded."revision", "savedAt" = excluded."savedAt"
WHERE excluded."revision" > "ExamResponse"."revision"`;
const POSTGRES = `INSERT INTO "ExamResponse" ("attemptId", "itemId", "answer", "flagged", "revision", "savedAt")
SELECT $1, $2, $3, false, $4, $5 WHERE EXISTS (SELECT 1 FROM "ExamAttempt" WHERE "id" = $1 AND "status" = 'in_progress')
ON CONFLICT ("attemptId", "itemId") DO UPDATE SET "answer" = excluded."answer", "revision" = excluded."revision", "savedAt" = excluded."savedAt"
WHERE excluded."revision" > "ExamResponse"."revision"`;

const server = createServer((req, res) => {
  const [, , attemptId = '', itemId = ''] = (req.url ?? '').split('/');
  let body = '';
  req.on('data', (chunk: Buffer) => {
    body += chunk.toString();
  });
  req.on('end', async () => {
    try {
      const { answer, revision } = JSON.parse(body) as { answer: unknown; revision: number };
      const now = new Date();
      if (databaseTarget().provider === 'postgresql')
        await db().$executeRawUnsafe(POSTGRES, attemptId, itemId, JSON.stringify(answer), revision, now);
      else
        await db().$executeRawUnsafe(
          SQLITE,
          attemptId,
          itemId,
          JSON.stringify(answer),
          revision,
          now.toISOString().replace('Z', '+00:00'),
          attemptId,
        );
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } catch (error) {
      res.writeHead(500).end((error as Error).message);
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});
