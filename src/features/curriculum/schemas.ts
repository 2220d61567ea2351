// The shapes of curriculum content. Astro's content collections, the content checker script and
// the tests all validate with these, so a type can never drift from its validator.
import { z } from 'zod';

export const MODULES = [
  {
    slug: 'load-testing',
    number: 1,
    title: 'Continuous performance & load testing',
    session: 'load-testing-with-k6',
    tool: 'Grafana k6',
    summary:
      'Define SLIs, SLOs and SLAs, choose the right kind of load test, model a workload with open or closed executors, read percentiles instead of averages, spot coordinated omission and gate a pipeline on thresholds.',
  },
  {
    slug: 'slos',
    number: 2,
    title: 'Measure, validate & visualise SLOs',
    session: 'slos-with-prometheus-and-keptn',
    tool: 'Prometheus + Keptn',
    summary:
      "Learn Prometheus' data model and PromQL, write SLI queries, spend error budgets deliberately, alert on burn rate with multiwindow rules, and gate releases on SLO-based quality gates.",
  },
  {
    slug: 'database-observability',
    number: 3,
    title: 'Distributed database observability',
    session: 'scylladb-monitoring-stack',
    tool: 'ScyllaDB Monitoring Stack',
    summary:
      'Follow a request from the driver to the coordinator, replicas and shards; read the metrics that matter; and diagnose hot partitions, tombstones, overloaded nodes, background work and retry storms.',
  },
  {
    slug: 'roundtable',
    number: 4,
    title: 'Roundtable',
    session: 'roundtable',
    tool: 'Panel',
    summary:
      'Where to start when KPIs trend the wrong way, why you must know your stack before chasing metrics, SLAs in context, and comparing against history.',
  },
] as const;

export type Module = (typeof MODULES)[number];
export type ModuleSlug = Module['slug'];
export const MODULE_SLUGS = MODULES.map((m) => m.slug) as [ModuleSlug, ...ModuleSlug[]];
export const SESSION_IDS = MODULES.map((m) => m.session) as [Module['session'], ...Module['session'][]];

/** A lesson id is `<module>/<nn>-<slug>`, exactly its path under content/lessons without `.mdx`. */
export const LESSON_ID_PATTERN = /^(load-testing|slos|database-observability|roundtable)\/(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Glossary term ids: lowercase words joined by hyphens, the file name under content/glossary. */
export const TERM_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const LessonFrontmatterSchema = z
  .object({
    /** Page title, shown as the lesson's h1 and in the outline. */
    title: z.string().min(3).max(90),
    /** One sentence for search results, the outline and link previews. */
    description: z.string().min(20).max(200),
    /** The module this lesson belongs to; must equal its folder under content/lessons. */
    module: z.enum(MODULE_SLUGS),
    /** Position within the module; must equal the file's two-digit prefix. */
    order: z.number().int().min(1).max(99),
    /** Estimated study time in minutes. */
    duration: z.number().int().min(3).max(60),
    /** What the learner can do afterwards, each starting with a verb. */
    objectives: z.array(z.string().min(10).max(200)).min(2).max(6),
    /** Lesson ids (`<module>/<nn>-<slug>`) worth reading first. */
    prerequisites: z.array(z.string().regex(LESSON_ID_PATTERN, 'must be a lesson id like "slos/01-prometheus-data-model"')).default([]),
    /** The hands-on lab that practises this lesson, by lab id. */
    lab: z.string().regex(TERM_ID_PATTERN).optional(),
    /** The masterclass session (video) this lesson belongs to, by session id. */
    session: z.enum(SESSION_IDS).optional(),
  })
  .strict();

export type LessonFrontmatter = z.infer<typeof LessonFrontmatterSchema>;

export const GlossaryTermSchema = z
  .object({
    /** The term as displayed, with its abbreviation if it has one. */
    term: z.string().min(2).max(80),
    /** One to three sentences in plain words. */
    definition: z.string().min(20).max(600),
    /** The module that introduces the term. */
    module: z.enum(MODULE_SLUGS),
    /** Related term ids. */
    seeAlso: z.array(z.string().regex(TERM_ID_PATTERN)).default([]),
  })
  .strict();

export type GlossaryTerm = z.infer<typeof GlossaryTermSchema>;

export const SpeakerSchema = z
  .object({
    /** Speaker's name as shown under the video. */
    name: z.string().min(2).max(80),
    /** Job title or role in the session. */
    role: z.string().min(2).max(120),
    /** One or two sentences about the speaker. */
    bio: z.string().min(20).max(400),
  })
  .strict();

export const SlideSchema = z
  .object({
    /** Starts a new chapter at this slide, with this title. */
    chapter: z.string().min(2).max(60).optional(),
    /** Heading shown on the slide. */
    title: z.string().min(2).max(60),
    /** Short lines shown on the slide. (No default: parsed slides must equal the file, for the script hash.) */
    bullets: z.array(z.string().min(1).max(80)).max(6).optional(),
    /** What the narrator says while the slide is shown (also the captions and transcript). */
    narration: z.string().min(20).max(1200),
  })
  .strict();

export const SessionFrontmatterSchema = z
  .object({
    /** Session title, shown on its page and in listings. */
    title: z.string().min(3).max(100),
    /** One sentence for listings and link previews. */
    description: z.string().min(20).max(220),
    /** The module the session belongs to. */
    module: z.enum(MODULE_SLUGS),
    /** Position among the sessions. */
    order: z.number().int().min(1).max(20),
    /** Who speaks in the recording. */
    speakers: z.array(SpeakerSchema).min(1).max(6),
    /** Lesson ids that go with this session. */
    relatedLessons: z.array(z.string().regex(LESSON_ID_PATTERN)).default([]),
    /** The script the recording, captions, chapters and transcript are built from (npm run media:build). */
    slides: z.array(SlideSchema).min(3).max(60),
  })
  .strict();

export type SessionFrontmatter = z.infer<typeof SessionFrontmatterSchema>;

export function findModule(slug: string): Module | undefined {
  return MODULES.find((m) => m.slug === slug);
}
