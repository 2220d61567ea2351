// The instructor area's data: the attempts list and its CSV export (one set of filters for both),
// item statistics over scored attempts with the bank's keys and rationales, and exam time
// accommodations. Only instructors reach these (requireInstructor in the routes).
import { z } from 'zod';
import type { Prisma } from '../../generated/sqlite/client.ts';
import { csvRow } from '../../lib/csv.ts';
import { renderInlineMarkdown, renderMarkdownLite } from '../../lib/markdown-lite.ts';
import { db } from '../../lib/server/db.server.ts';
import type { FieldErrors } from '../auth/forms.ts';
import { MODULE_SLUGS } from '../curriculum/schemas.ts';
import { type Bank, loadBank } from './bank.server.ts';
import { type ExamItem, responseKind } from './items.ts';
import { itemStatistics, optionFrequencies } from './statistics.ts';

export const ATTEMPT_STATUSES = ['in_progress', 'submitted', 'expired'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];
export const ATTEMPTS_PAGE_SIZE = 50;

const DAY_MS = 86_400_000;

/** A calendar day as `<input type="date">` sends it, read as a UTC day. */
const IsoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date like 2026-11-27')
  .refine((day) => {
    const date = new Date(`${day}T00:00:00.000Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
  }, 'that day does not exist')
  .transform((day) => new Date(`${day}T00:00:00.000Z`));

export const AttemptFiltersSchema = z.object({
  /** Only attempts in this state. */
  status: z.enum(ATTEMPT_STATUSES, { error: 'choose in progress, submitted or expired' }).optional(),
  /** Only scored attempts that passed, or that failed. */
  outcome: z.enum(['passed', 'failed'], { error: 'choose passed or failed' }).optional(),
  /** Part of the learner's e-mail address (addresses are stored lower-case). */
  email: z.string().trim().toLowerCase().max(254, 'use at most 254 characters').optional(),
  /** Started on or after this UTC day. */
  from: IsoDay.optional(),
  /** Started on or before this UTC day (the whole day counts). */
  to: IsoDay.optional(),
  /** 1-based page of the list; the CSV export ignores it. */
  page: z.coerce.number({ error: 'use a page number' }).int('use a whole page number').min(1, 'pages start at 1').max(1_000_000).default(1),
});
export type AttemptFilters = z.infer<typeof AttemptFiltersSchema>;

const FILTER_LABELS = {
  status: 'status',
  outcome: 'result',
  email: 'e-mail',
  from: 'started from',
  to: 'started to',
  page: 'page',
} as const;
type FilterKey = keyof typeof FILTER_LABELS;
const FILTER_KEYS = Object.keys(FILTER_LABELS) as FilterKey[];

/**
 * Reads the filters from a query string. A bad value never fails the request: it is dropped and
 * described in `ignored`, and the other filters still apply.
 */
export function parseAttemptFilters(params: URLSearchParams): { filters: AttemptFilters; ignored: string[] } {
  const input: Partial<Record<FilterKey, string>> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (value) input[key] = value;
  }
  const ignored: string[] = [];
  let parsed = AttemptFiltersSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as FilterKey;
      const value = input[key];
      if (value === undefined) continue;
      ignored.push(`Ignored the ${FILTER_LABELS[key]} filter “${value.length > 40 ? `${value.slice(0, 40)}…` : value}”: ${issue.message}.`);
      delete input[key];
    }
    parsed = AttemptFiltersSchema.safeParse(input);
  }
  const filters: AttemptFilters = parsed.success ? parsed.data : { page: 1 };
  if (filters.from && filters.to && filters.from > filters.to) {
    ignored.push('Ignored the dates: “started from” is after “started to”.');
    delete filters.from;
    delete filters.to;
  }
  return { filters, ignored };
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The filters as a query string, for links that keep them (pages, the CSV export). */
export function attemptFilterQuery(filters: AttemptFilters, page?: number): string {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.outcome) params.set('outcome', filters.outcome);
  if (filters.email) params.set('email', filters.email);
  if (filters.from) params.set('from', isoDay(filters.from));
  if (filters.to) params.set('to', isoDay(filters.to));
  if (page !== undefined && page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `?${query}` : '';
}

/**
 * Prisma's `contains` is SQL LIKE, where % and _ are wildcards, and it escapes neither (on SQLite
 * LIKE has no escape character at all). A part with one of them is matched exactly here instead,
 * over the accounts LIKE finds.
 */
async function emailWhere(part: string): Promise<Prisma.ExamAttemptWhereInput> {
  if (!/[%_]/.test(part)) return { user: { is: { email: { contains: part } } } };
  const candidates = await db().user.findMany({ where: { email: { contains: part } }, select: { id: true, email: true } });
  return { userId: { in: candidates.filter((u) => u.email.includes(part)).map((u) => u.id) } };
}

async function attemptWhere(filters: AttemptFilters): Promise<Prisma.ExamAttemptWhereInput> {
  const where: Prisma.ExamAttemptWhereInput = filters.email ? await emailWhere(filters.email) : {};
  if (filters.status) where.status = filters.status;
  if (filters.outcome) where.score = { is: { passed: filters.outcome === 'passed' } };
  if (filters.from || filters.to) {
    where.startedAt = {
      ...(filters.from ? { gte: filters.from } : {}),
      ...(filters.to ? { lt: new Date(filters.to.getTime() + DAY_MS) } : {}),
    };
  }
  return where;
}

// Newest first; the id breaks ties so pages never overlap.
const ATTEMPT_ORDER: Prisma.ExamAttemptOrderByWithRelationInput[] = [{ startedAt: 'desc' }, { id: 'desc' }];

export interface AdminAttemptRow {
  id: string;
  learnerName: string;
  learnerEmail: string;
  startedAt: Date;
  status: string;
  timeMultiplier: number;
  /** Null until the attempt is scored. */
  reported: number | null;
  passed: boolean | null;
}

export interface AdminAttemptPage {
  rows: AdminAttemptRow[];
  total: number;
  page: number;
  pageCount: number;
}

/** One page of attempts matching the filters; a page past the end shows the last one. */
export async function attemptsForAdmin(filters: AttemptFilters): Promise<AdminAttemptPage> {
  const where = await attemptWhere(filters);
  const total = await db().examAttempt.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / ATTEMPTS_PAGE_SIZE));
  const page = Math.min(filters.page, pageCount);
  const attempts = await db().examAttempt.findMany({
    where,
    orderBy: ATTEMPT_ORDER,
    skip: (page - 1) * ATTEMPTS_PAGE_SIZE,
    take: ATTEMPTS_PAGE_SIZE,
    select: {
      id: true,
      startedAt: true,
      status: true,
      timeMultiplier: true,
      user: { select: { name: true, email: true } },
      score: { select: { reported: true, passed: true } },
    },
  });
  return {
    rows: attempts.map((a) => ({
      id: a.id,
      learnerName: a.user.name,
      learnerEmail: a.user.email,
      startedAt: a.startedAt,
      status: a.status,
      timeMultiplier: a.timeMultiplier,
      reported: a.score?.reported ?? null,
      passed: a.score?.passed ?? null,
    })),
    total,
    page,
    pageCount,
  };
}

const CSV_BATCH = 500;

export const ATTEMPTS_CSV_HEADER = [
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
  ...MODULE_SLUGS.map((domain) => `${domain} (%)`),
];

type PerDomain = Record<string, { credit: number; items: number }>;

function parseJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** Every attempt matching the filters (the page is ignored) as CSV, read in batches. */
export async function attemptsCsv(filters: AttemptFilters): Promise<string> {
  const where = await attemptWhere(filters);
  const out = [csvRow(ATTEMPTS_CSV_HEADER)];
  for (let skip = 0; ; skip += CSV_BATCH) {
    const batch = await db().examAttempt.findMany({
      where,
      orderBy: ATTEMPT_ORDER,
      skip,
      take: CSV_BATCH,
      select: {
        id: true,
        startedAt: true,
        submittedAt: true,
        status: true,
        timeMultiplier: true,
        user: { select: { name: true, email: true } },
        score: { select: { raw: true, reported: true, passed: true, perDomain: true } },
      },
    });
    for (const a of batch) {
      const perDomain = a.score ? (parseJson<PerDomain>(a.score.perDomain) ?? {}) : {};
      out.push(
        csvRow([
          a.id,
          a.user.email,
          a.user.name,
          a.startedAt.toISOString(),
          a.submittedAt?.toISOString() ?? null,
          a.status,
          a.timeMultiplier,
          a.score ? Math.round(a.score.raw * 10_000) / 10_000 : null,
          a.score?.reported ?? null,
          a.score ? (a.score.passed ? 'yes' : 'no') : null,
          ...MODULE_SLUGS.map((domain) => {
            const d = perDomain[domain];
            return d && d.items > 0 ? Math.round((100 * d.credit) / d.items) : null;
          }),
        ]),
      );
    }
    if (batch.length < CSV_BATCH) break;
  }
  return out.join('');
}

export interface OptionReport {
  id: string;
  /** Safe HTML. */
  html: string;
  isKey: boolean;
  /** Scored attempts that chose it (choice items only; null for ordering items). */
  chosen: number | null;
}

export interface ItemReportRow {
  itemId: string;
  domain: string;
  /** "single", "multiple", "numeric", "ordering" or e.g. "scenario (single)". */
  type: string;
  /** Scored attempts that included the item. */
  attempts: number;
  /** Mean credit, 0..1; null without attempts. */
  facility: number | null;
  /** Corrected item–total correlation; null when it cannot be computed (fewer than 2 attempts, no spread). */
  discrimination: number | null;
  /** Discrimination below 0.2: the item needs review. */
  flagged: boolean;
  /** Whether the options have counts to show (single and multiple response). */
  choice: boolean;
  /** The bank item, or null when it has left the bank since it was answered. */
  detail: {
    stemHtml: string;
    exhibit: string | null;
    options: OptionReport[];
    /** The key in words, e.g. "b", "a, c", "c → a → b" or "42 ms (± 1)". */
    keyText: string;
    rationaleHtml: string;
  } | null;
}

export interface ItemReport {
  scoredAttempts: number;
  items: ItemReportRow[];
}

function typeLabel(item: ExamItem): string {
  return item.type === 'scenario' ? `scenario (${item.response})` : item.type;
}

function keyText(item: ExamItem): string {
  const key = item.key;
  if (typeof key === 'string') return key;
  if (Array.isArray(key)) return key.join(responseKind(item) === 'ordering' ? ' → ' : ', ');
  return `${key.value} ${key.unit} (± ${key.tolerance})`;
}

function keyIds(item: ExamItem): ReadonlySet<string> {
  const key = item.key;
  if (typeof key === 'string') return new Set([key]);
  // An ordering key lists every option, so no option is "the" key there.
  if (Array.isArray(key) && responseKind(item) === 'multiple') return new Set(key);
  return new Set();
}

/** Facility, discrimination and option choices per item, over every scored attempt, with the bank's keys. */
export async function itemReport(bank: Bank = loadBank()): Promise<ItemReport> {
  const [scores, responses] = await Promise.all([
    db().examScore.findMany({ select: { perItem: true } }),
    db().examResponse.findMany({ where: { attempt: { score: { isNot: null } } }, select: { itemId: true, answer: true } }),
  ]);
  const scored = scores.map((s) => ({ perItem: parseJson<Record<string, number>>(s.perItem) ?? {} }));
  const stats = new Map(itemStatistics(scored).map((s) => [s.itemId, s]));
  const chosen = optionFrequencies(responses.map((r) => ({ itemId: r.itemId, answer: parseJson<unknown>(r.answer) })));
  const ids = [...new Set([...bank.items.map((i) => i.id), ...stats.keys()])].sort();
  const items = ids.map((itemId): ItemReportRow => {
    const item = bank.byId.get(itemId);
    const s = stats.get(itemId);
    const base = {
      itemId,
      attempts: s?.attempts ?? 0,
      facility: s?.facility ?? null,
      discrimination: s?.discrimination ?? null,
      flagged: s?.flagged ?? false,
    };
    if (!item) return { ...base, domain: '—', type: '—', choice: false, detail: null };
    const kind = responseKind(item);
    const choice = kind === 'single' || kind === 'multiple';
    const keys = keyIds(item);
    const counts = chosen[itemId] ?? {};
    return {
      ...base,
      domain: item.domain,
      type: typeLabel(item),
      choice,
      detail: {
        stemHtml: renderMarkdownLite(item.stem),
        exhibit: item.type === 'scenario' ? item.exhibit : null,
        options: ('options' in item ? item.options : []).map((o) => ({
          id: o.id,
          html: renderInlineMarkdown(o.text),
          isKey: keys.has(o.id),
          chosen: choice ? (counts[o.id] ?? 0) : null,
        })),
        keyText: keyText(item),
        rationaleHtml: renderMarkdownLite(item.rationale),
      },
    };
  });
  return { scoredAttempts: scores.length, items };
}

const LearnerEmail = z
  .string({ error: 'Enter the learner’s e-mail address.' })
  .trim()
  .toLowerCase()
  .min(1, 'Enter the learner’s e-mail address.')
  .max(254, 'That e-mail address is too long.')
  .pipe(z.email({ error: 'Enter a valid e-mail address, like ada@example.com.' }));

export const MIN_TIME_MULTIPLIER = 1;
export const MAX_TIME_MULTIPLIER = 3;

export const TimeMultiplierForm = z.object({
  /** The account to change. */
  email: LearnerEmail,
  /** Exam time is multiplied by this: 1 is standard time, 1.5 gives 50 % extra. */
  multiplier: z.preprocess(
    // An empty field is a missing number, not zero.
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.coerce
      .number({ error: 'Enter a number such as 1.5.' })
      .min(MIN_TIME_MULTIPLIER, `Use at least ${MIN_TIME_MULTIPLIER} (standard time).`)
      .max(MAX_TIME_MULTIPLIER, `Use at most ${MAX_TIME_MULTIPLIER} (triple time).`),
  ),
});

export type TimeMultiplierResult =
  | { ok: true; value: { email: string; name: string; multiplier: number } }
  | { ok: false; errors: FieldErrors };

/** Sets a learner's exam time multiplier (1 ≤ m ≤ 3); attempts started afterwards get it. */
export async function setTimeMultiplier(email: string, multiplier: number | string): Promise<TimeMultiplierResult> {
  const parsed = TimeMultiplierForm.safeParse({ email, multiplier });
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
    return { ok: false, errors };
  }
  const { count } = await db().user.updateMany({
    where: { email: parsed.data.email },
    data: { examTimeMultiplier: parsed.data.multiplier },
  });
  if (count === 0) return { ok: false, errors: { email: 'No account uses this e-mail address.' } };
  const user = await db().user.findUnique({ where: { email: parsed.data.email }, select: { name: true } });
  return { ok: true, value: { email: parsed.data.email, name: user?.name ?? '', multiplier: parsed.data.multiplier } };
}

/** Accounts whose exam time differs from standard time. */
export async function learnersWithTimeMultiplier(): Promise<{ name: string; email: string; examTimeMultiplier: number }[]> {
  return db().user.findMany({
    where: { examTimeMultiplier: { not: 1 } },
    orderBy: { email: 'asc' },
    select: { name: true, email: true, examTimeMultiplier: true },
  });
}
