// The instructor area's queries against a real database: attempt filters and paging, the CSV
// export (RFC 4180 quoting, formula-injection defence), item statistics and time accommodations.
// Users, attempts and scores are written directly with Prisma; each test uses its own e-mail tag.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requireInstructor } from '../../src/features/auth/guards.ts';
import {
  ATTEMPTS_CSV_HEADER,
  ATTEMPTS_PAGE_SIZE,
  attemptFilterQuery,
  attemptsCsv,
  attemptsForAdmin,
  itemReport,
  learnersWithTimeMultiplier,
  parseAttemptFilters,
  setTimeMultiplier,
} from '../../src/features/exam/admin.server.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { PROVIDERS, useFreshDatabase } from '../support/use-database.ts';

function tag(): string {
  return `t${randomUUID().slice(0, 8)}`;
}

async function createUser(email: string, name = 'Ada Lovelace', examTimeMultiplier = 1): Promise<string> {
  const id = randomUUID();
  await db().user.create({ data: { id, email, name, passwordHash: 'not a real hash', examTimeMultiplier } });
  return id;
}

interface AttemptSpec {
  startedAt?: Date;
  status?: 'in_progress' | 'submitted' | 'expired';
  timeMultiplier?: number;
  score?: {
    raw: number;
    reported: number;
    passed: boolean;
    perDomain?: Record<string, { credit: number; items: number }>;
    perItem?: Record<string, number>;
  };
  responses?: Record<string, unknown>;
}

async function createAttempt(userId: string, spec: AttemptSpec = {}): Promise<string> {
  const id = randomUUID();
  const startedAt = spec.startedAt ?? new Date('2026-11-01T10:00:00Z');
  const status = spec.status ?? (spec.score ? 'submitted' : 'in_progress');
  await db().examAttempt.create({
    data: {
      id,
      userId,
      blueprintVersion: 1,
      formSeed: 1,
      startedAt,
      deadline: new Date(startedAt.getTime() + 45 * 60_000),
      submittedAt: status === 'in_progress' ? null : new Date(startedAt.getTime() + 30 * 60_000),
      status,
      timeMultiplier: spec.timeMultiplier ?? 1,
    },
  });
  if (spec.score) {
    await db().examScore.create({
      data: {
        attemptId: id,
        raw: spec.score.raw,
        reported: spec.score.reported,
        passed: spec.score.passed,
        perDomain: JSON.stringify(spec.score.perDomain ?? {}),
        perItem: JSON.stringify(spec.score.perItem ?? {}),
        scoredAt: new Date(startedAt.getTime() + 30 * 60_000),
      },
    });
  }
  for (const [itemId, answer] of Object.entries(spec.responses ?? {})) {
    await db().examResponse.create({ data: { attemptId: id, itemId, answer: JSON.stringify(answer), revision: 1, savedAt: startedAt } });
  }
  return id;
}

const filtersFor = (query: string) => parseAttemptFilters(new URLSearchParams(query)).filters;

/** A strict RFC 4180 reader, to check that what the export writes reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && cell === '') {
      for (i += 1; ; i += 1) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 1;
          } else break;
        } else cell += text[i];
      }
      i += 1;
      if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`text after a quoted field at ${i}`);
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      i += 1;
    } else if (c === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else if (c === '\n' || c === '"') {
      throw new Error(`bare ${JSON.stringify(c)} outside quotes at ${i}`);
    } else {
      cell += c;
      i += 1;
    }
  }
  if (cell !== '' || row.length > 0) throw new Error('the last record is not terminated by CRLF');
  return rows;
}

describe.each(PROVIDERS)('exam administration on %s', (provider) => {
  useFreshDatabase(provider);

  it('filters attempts by status, result and part of the learner’s e-mail', async () => {
    const t = tag();
    const ada = await createUser(`${t}-ada@example.com`);
    const bob = await createUser(`${t}-bob@example.com`, 'Bob');
    const open = await createAttempt(ada);
    const passed = await createAttempt(ada, { score: { raw: 0.8, reported: 820, passed: true } });
    const failed = await createAttempt(bob, { status: 'expired', score: { raw: 0.3, reported: 370, passed: false } });
    const ids = async (query: string) => (await attemptsForAdmin(filtersFor(`email=${t}&${query}`))).rows.map((r) => r.id).sort();

    expect(await ids('')).toEqual([open, passed, failed].sort());
    expect(await ids('status=in_progress')).toEqual([open]);
    expect(await ids('status=expired')).toEqual([failed]);
    expect(await ids('outcome=passed')).toEqual([passed]);
    expect(await ids('outcome=failed')).toEqual([failed]);
    expect(await ids('status=submitted&outcome=failed')).toEqual([]);
    expect((await attemptsForAdmin(filtersFor(`email=${t}-BOB`))).rows.map((r) => r.id)).toEqual([failed]);

    const [row] = (await attemptsForAdmin(filtersFor(`email=${t}-ada&outcome=passed`))).rows;
    expect(row).toMatchObject({
      learnerName: 'Ada Lovelace',
      learnerEmail: `${t}-ada@example.com`,
      status: 'submitted',
      reported: 820,
      passed: true,
    });
  });

  it('treats % and _ in the e-mail filter as text, not wildcards', async () => {
    const t = tag();
    await createAttempt(await createUser(`${t}-a_b@example.com`));
    await createAttempt(await createUser(`${t}-axb@example.com`));
    const emails = async (part: string) =>
      (await attemptsForAdmin(filtersFor(`email=${encodeURIComponent(`${t}-${part}`)}`))).rows.map((r) => r.learnerEmail);
    expect(await emails('a_b')).toEqual([`${t}-a_b@example.com`]);
    expect(await emails('%')).toEqual([]);
  });

  it('filters by start date in whole UTC days, both ends included', async () => {
    const t = tag();
    const ada = await createUser(`${t}@example.com`);
    await createAttempt(ada, { startedAt: new Date('2026-03-01T23:59:59.999Z') });
    const first = await createAttempt(ada, { startedAt: new Date('2026-03-02T00:00:00.000Z') });
    const last = await createAttempt(ada, { startedAt: new Date('2026-03-02T23:59:59.999Z') });
    await createAttempt(ada, { startedAt: new Date('2026-03-03T00:00:00.000Z') });
    const ids = async (query: string) => (await attemptsForAdmin(filtersFor(`email=${t}&${query}`))).rows.map((r) => r.id);
    expect(await ids('from=2026-03-02&to=2026-03-02')).toEqual([last, first]);
    expect(await ids('from=2026-03-02')).toHaveLength(3);
    expect(await ids('to=2026-03-02')).toHaveLength(3);
  });

  it('pages 50 attempts at a time, newest first, without overlap, and clamps a page past the end', async () => {
    const t = tag();
    const ada = await createUser(`${t}@example.com`);
    const start = Date.parse('2026-05-01T00:00:00Z');
    for (let i = 0; i < ATTEMPTS_PAGE_SIZE + 5; i += 1)
      await createAttempt(ada, { startedAt: new Date(start + i * 60_000), status: 'expired' });
    const first = await attemptsForAdmin(filtersFor(`email=${t}`));
    const second = await attemptsForAdmin(filtersFor(`email=${t}&page=2`));
    expect(first).toMatchObject({ total: 55, page: 1, pageCount: 2 });
    expect(first.rows).toHaveLength(50);
    expect(second.rows).toHaveLength(5);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(55);
    expect(first.rows[0]?.startedAt.getTime()).toBe(start + 54 * 60_000);
    expect((await attemptsForAdmin(filtersFor(`email=${t}&page=9`))).page).toBe(2);
  });

  it('ignores bad filter values with a note and keeps the good ones', () => {
    const { filters, ignored } = parseAttemptFilters(
      new URLSearchParams('status=finished&outcome=maybe&email=%20ADA%20&from=2026-02-30&to=yesterday&page=-3'),
    );
    expect(filters).toEqual({ email: 'ada', page: 1 });
    expect(ignored).toHaveLength(5);
    expect(ignored.join('\n')).toMatch(/status filter “finished”/);
    expect(ignored.join('\n')).toMatch(/started from filter “2026-02-30”: that day does not exist/);

    const reversed = parseAttemptFilters(new URLSearchParams('from=2026-03-05&to=2026-03-01&status=expired'));
    expect(reversed.filters).toEqual({ status: 'expired', page: 1 });
    expect(reversed.ignored).toEqual(['Ignored the dates: “started from” is after “started to”.']);

    expect(parseAttemptFilters(new URLSearchParams('status=&outcome=&email=&from=&to=')).ignored).toEqual([]);
    expect(attemptFilterQuery(filtersFor('status=expired&from=2026-03-01&page=3'), 2)).toBe('?status=expired&from=2026-03-01&page=2');
  });

  it('exports the filtered attempts as RFC 4180 CSV with formula-like cells defused', async () => {
    const t = tag();
    const tricky = await createUser(`${t}-q@example.com`, 'Smith, "Ada"\nJr');
    const formula = await createUser(`${t}-f@example.com`, '=HYPERLINK("https://evil.example","x")');
    const plus = await createUser(`${t}-p@example.com`, '+1 Zoë');
    const at = await createUser(`${t}-at@example.com`, '@SUM(A1)');
    const minus = await createUser(`${t}-m@example.com`, '-2');
    const scored = await createAttempt(tricky, {
      startedAt: new Date('2026-04-01T08:00:00Z'),
      timeMultiplier: 1.5,
      score: {
        raw: 0.756_789,
        reported: 781,
        passed: true,
        perDomain: { 'load-testing': { credit: 7.5, items: 10 }, slos: { credit: 10, items: 10 } },
      },
    });
    const open = await createAttempt(formula, { startedAt: new Date('2026-04-02T08:00:00Z') });
    for (const user of [plus, at, minus]) await createAttempt(user, { startedAt: new Date('2026-04-03T08:00:00Z') });

    const csv = await attemptsCsv(filtersFor(`email=${t}&page=7`));
    expect(csv.startsWith(`${ATTEMPTS_CSV_HEADER.join(',')}\r\n`)).toBe(true);
    expect(csv).toContain('"Smith, ""Ada""\nJr"');
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual([
      'Attempt ID',
      'Learner e-mail',
      'Name',
      'Started (UTC)',
      'Submitted (UTC)',
      'Status',
      'Time multiplier',
      'Raw',
      'Reported',
      'Passed',
      'load-testing (%)',
      'slos (%)',
      'database-observability (%)',
      'roundtable (%)',
    ]);
    expect(rows).toHaveLength(5);
    const byId = new Map(rows.map((r) => [r[0], r]));
    expect(byId.get(scored)).toEqual([
      scored,
      `${t}-q@example.com`,
      'Smith, "Ada"\nJr',
      '2026-04-01T08:00:00.000Z',
      '2026-04-01T08:30:00.000Z',
      'submitted',
      '1.5',
      '0.7568',
      '781',
      'yes',
      '75',
      '100',
      '',
      '',
    ]);
    expect(byId.get(open)?.slice(2, 10)).toEqual([
      '\'=HYPERLINK("https://evil.example","x")',
      '2026-04-02T08:00:00.000Z',
      '',
      'in_progress',
      '1',
      '',
      '',
      '',
    ]);
    const names = rows.map((r) => r[2]);
    expect(names).toEqual(expect.arrayContaining(["'+1 Zoë", "'@SUM(A1)", "'-2"]));
    for (const name of names) expect(name).not.toMatch(/^[=+\-@]/);

    expect(
      parseCsv(await attemptsCsv(filtersFor(`email=${t}&outcome=passed`)))
        .slice(1)
        .map((r) => r[0]),
    ).toEqual([scored]);
  });

  it('reports facility, discrimination, a low-discrimination flag and option choices from scored attempts only', async () => {
    const t = tag();
    const ada = await createUser(`${t}@example.com`);
    const credits = [
      { 'db-001': 1, 'db-004': 1, 'db-005': 0 },
      { 'db-001': 1, 'db-004': 1, 'db-005': 1 },
      { 'db-001': 0, 'db-004': 0, 'db-005': 1 },
      { 'db-001': 0, 'db-004': 0, 'db-005': 0 },
    ];
    const answers = [
      { 'db-001': { choice: 'b' }, 'db-004': { choices: ['a', 'c', 'e'] }, 'db-005': { order: ['a', 'b', 'c', 'd', 'e'] } },
      { 'db-001': { choice: 'b' }, 'db-004': { choices: ['a', 'c', 'e'] } },
      { 'db-001': { choice: 'a' }, 'db-004': { choices: ['b'] } },
      { 'db-001': { choice: 'c' } },
    ];
    for (const [i, perItem] of credits.entries()) {
      await createAttempt(ada, { score: { raw: 0.5, reported: 550, passed: false, perItem }, responses: answers[i] ?? {} });
    }
    // Still in progress: its answer must not count.
    await createAttempt(ada, { responses: { 'db-001': { choice: 'd' } } });

    const report = await itemReport();
    const row = (id: string) => report.items.find((i) => i.itemId === id);
    expect(report.scoredAttempts).toBeGreaterThanOrEqual(4);

    const single = row('db-001');
    expect(single).toMatchObject({
      domain: 'database-observability',
      type: 'single',
      attempts: 4,
      facility: 0.5,
      flagged: false,
      choice: true,
    });
    expect(single?.discrimination).toBeCloseTo(Math.SQRT1_2, 6);
    expect(single?.detail?.options.map((o) => [o.id, o.chosen, o.isKey])).toEqual([
      ['a', 1, false],
      ['b', 2, true],
      ['c', 1, false],
      ['d', 0, false],
    ]);
    expect(single?.detail?.keyText).toBe('b');
    expect(single?.detail?.rationaleHtml).toContain('<p>');

    const multiple = row('db-004');
    expect(multiple?.type).toBe('multiple');
    expect(multiple?.detail?.keyText).toBe('a, c, e');
    expect(Object.fromEntries(multiple?.detail?.options.map((o) => [o.id, o.chosen]) ?? [])).toEqual({
      a: 2,
      b: 1,
      c: 2,
      d: 0,
      e: 2,
      f: 0,
    });

    const ordering = row('db-005');
    expect(ordering).toMatchObject({ type: 'ordering', facility: 0.5, discrimination: 0, flagged: true, choice: false });
    expect(ordering?.detail?.keyText).toBe('c → e → a → d → b');
    expect(ordering?.detail?.options.every((o) => o.chosen === null && !o.isKey)).toBe(true);

    expect(row('db-002')).toMatchObject({ type: 'numeric', attempts: 0, facility: null, discrimination: null, flagged: false });
  });

  it('sets a time multiplier between 1 and 3 and rejects anything else beside its field', async () => {
    const t = tag();
    await createUser(`${t}-ada@example.com`, 'Ada');
    await createUser(`${t}-bob@example.com`, 'Bob', 2);

    expect(await setTimeMultiplier(`  ${t}-ADA@example.com `, '1.5')).toEqual({
      ok: true,
      value: { email: `${t}-ada@example.com`, name: 'Ada', multiplier: 1.5 },
    });
    for (const bad of ['0.5', '3.01', 'abc', '', '1,5', 'Infinity']) {
      const result = await setTimeMultiplier(`${t}-ada@example.com`, bad);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(Object.keys(result.errors), bad).toEqual(['multiplier']);
    }
    expect(await setTimeMultiplier(`${t}-ada@example.com`, 0.99)).toMatchObject({
      ok: false,
      errors: { multiplier: 'Use at least 1 (standard time).' },
    });
    expect(await setTimeMultiplier(`${t}-ada@example.com`, 4)).toMatchObject({
      ok: false,
      errors: { multiplier: 'Use at most 3 (triple time).' },
    });
    expect(await setTimeMultiplier('not-an-email', 1.5)).toMatchObject({
      ok: false,
      errors: { email: expect.stringMatching(/valid e-mail/) },
    });
    expect(await setTimeMultiplier(`${t}-nobody@example.com`, 1.5)).toMatchObject({
      ok: false,
      errors: { email: 'No account uses this e-mail address.' },
    });

    const withExtraTime = (await learnersWithTimeMultiplier()).filter((l) => l.email.startsWith(t));
    expect(withExtraTime).toEqual([
      { name: 'Ada', email: `${t}-ada@example.com`, examTimeMultiplier: 1.5 },
      { name: 'Bob', email: `${t}-bob@example.com`, examTimeMultiplier: 2 },
    ]);
    expect(await setTimeMultiplier(`${t}-bob@example.com`, 3)).toMatchObject({ ok: true });
    expect(await setTimeMultiplier(`${t}-ada@example.com`, 1)).toMatchObject({ ok: true });
    expect((await learnersWithTimeMultiplier()).filter((l) => l.email.startsWith(t)).map((l) => [l.email, l.examTimeMultiplier])).toEqual([
      [`${t}-bob@example.com`, 3],
    ]);
  });
});

describe('requireInstructor', () => {
  const context = (user: { role: string } | null) => ({
    locals: {
      user: user && { id: 'u1', email: 'ada@example.com', name: 'Ada', role: user.role },
      session: user && { id: 's1', userId: 'u1', expiresAt: new Date() },
    },
    url: new URL('http://localhost/admin/attempts/?status=expired'),
    redirect: (path: string, status?: number) => new Response(null, { status: status ?? 302, headers: { location: path } }),
    rewrite: async (payload: unknown) => new Response(`rewrote to ${String(payload)}`, { status: 403 }),
  });

  it('sends a signed-out visitor to sign-in with a return address', async () => {
    const result = await requireInstructor(context(null));
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).headers.get('location')).toBe('/signin/?returnTo=%2Fadmin%2Fattempts%2F%3Fstatus%3Dexpired');
  });

  it('shows a learner the 403 page and lets an instructor through', async () => {
    const learner = await requireInstructor(context({ role: 'learner' }));
    expect(await (learner as Response).text()).toBe('rewrote to /403/');
    expect(await requireInstructor(context({ role: 'instructor' }))).toMatchObject({ user: { role: 'instructor' } });
  });
});
