// Lab seeds are issued by the server and signed (HMAC-SHA256 over user, lab, task and seed), so a
// submission can only use a seed the server handed out: a tampered seed is refused.
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { db } from '../../lib/server/db.server.ts';

const SECRET_NAME = 'lab-seed-key';
let secret: Promise<string> | undefined;

async function seedKey(): Promise<string> {
  secret ??= (async () => {
    const existing = await db().appSecret.findUnique({ where: { name: SECRET_NAME }, select: { value: true } });
    if (existing) return existing.value;
    const value = randomBytes(32).toString('hex');
    // Several instances may race to create it; whichever row wins is the key for all.
    await db().appSecret.upsert({ where: { name: SECRET_NAME }, create: { name: SECRET_NAME, value }, update: {} });
    const stored = await db().appSecret.findUnique({ where: { name: SECRET_NAME }, select: { value: true } });
    return stored?.value ?? value;
  })();
  return secret;
}

function sign(key: string, userId: string, labId: string, taskId: string, seed: number): string {
  return createHmac('sha256', key).update(`${userId}\n${labId}\n${taskId}\n${seed}`).digest('hex');
}

export async function issueSeed(userId: string, labId: string, taskId: string): Promise<{ seed: number; token: string }> {
  // Seeds stay below 2^31: they are stored in a 32-bit signed INTEGER column on PostgreSQL.
  const seed = randomInt(0, 0x7fffffff);
  return { seed, token: sign(await seedKey(), userId, labId, taskId, seed) };
}

export async function seedIsGenuine(userId: string, labId: string, taskId: string, seed: number, token: string): Promise<boolean> {
  const expected = Buffer.from(sign(await seedKey(), userId, labId, taskId, seed), 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(token) ? token : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
