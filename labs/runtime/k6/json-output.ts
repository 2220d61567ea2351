// k6's JSON output (`--out json=<file>`): one JSON object per line, a "Metric" line the first time
// a metric is seen (name, type, contains, thresholds) and a "Point" line for every sample (time,
// value, tags). Times are RFC 3339 in UTC with microseconds: the run's start on the wall clock
// plus the sample's virtual time.
import type { MetricInfo, Tags } from './metrics.ts';

export interface JsonSample {
  metric: MetricInfo;
  thresholds: string[];
  value: number;
  tags: Tags;
  /** Virtual ms since the test started. */
  time: number;
}

export class JsonOutput {
  readonly #lines: string[] = [];
  readonly #seen = new Set<string>();
  readonly #startEpochMs: number;

  constructor(startEpochMs: number) {
    this.#startEpochMs = startEpochMs;
  }

  add(sample: JsonSample): void {
    const { metric } = sample;
    if (!this.#seen.has(metric.name)) {
      this.#seen.add(metric.name);
      this.#lines.push(
        JSON.stringify({
          type: 'Metric',
          data: { name: metric.name, type: metric.type, contains: metric.contains, thresholds: sample.thresholds, submetrics: null },
          metric: metric.name,
        }),
      );
    }
    this.#lines.push(
      JSON.stringify({
        metric: metric.name,
        type: 'Point',
        data: { time: formatTime(this.#startEpochMs + sample.time), value: sample.value, tags: sample.tags },
      }),
    );
  }

  /** The file's text: every line so far, each ending in a newline. */
  text(): string {
    return this.#lines.length === 0 ? '' : `${this.#lines.join('\n')}\n`;
  }
}

/** RFC 3339 with microseconds in UTC, e.g. 2026-12-04T01:30:00.123456Z. */
export function formatTime(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const iso = new Date(whole).toISOString();
  const micros = Math.round((epochMs - whole) * 1000);
  return `${iso.slice(0, 23)}${String(Math.min(999, micros)).padStart(3, '0')}Z`;
}
