// What /admin/health shows: each SLO's current SLI and error budget left, from Prometheus (the
// whole fleet over the SLO window) when PROMETHEUS_URL is set, else from this process's own
// counters since it started. Same definitions as the alerts (slos.ts).
import { metrics } from '../../lib/server/metrics.server.ts';
import {
  readSli,
  readSliFromCounters,
  type SeriesValue,
  SLO_WINDOW_DAYS,
  SLOS,
  type SliReading,
  type SloDefinition,
  selectorToPromQL,
} from './slos.ts';

export interface SloStatus extends SliReading {
  slo: SloDefinition;
}

export type SloReport = {
  statuses: SloStatus[];
  /** Where the figures come from, in words for the page. */
  source: { kind: 'prometheus'; url: string; window: string } | { kind: 'process'; since: Date; reason?: string };
};

const PROMETHEUS_TIMEOUT_MS = 3000;
const startedAt = new Date(Date.now() - process.uptime() * 1000);

async function processSeries(): Promise<SeriesValue[]> {
  const families = await metrics().registry.getMetricsAsJSON();
  // Histogram values carry their own name (x_bucket, x_count, x_sum); the registry's JSON type omits it.
  return families.flatMap((family) =>
    (family.values as { metricName?: string; labels: Record<string, string | number>; value: number }[]).map((v) => ({
      name: v.metricName ?? family.name,
      labels: v.labels,
      value: v.value,
    })),
  );
}

export async function sloFromProcess(reason?: string): Promise<SloReport> {
  const series = await processSeries();
  return {
    statuses: SLOS.map((slo) => ({ slo, ...readSliFromCounters(slo, series) })),
    source: { kind: 'process', since: startedAt, ...(reason ? { reason } : {}) },
  };
}

async function scalarQuery(base: string, expr: string, time: number, signal: AbortSignal): Promise<number> {
  const response = await fetch(new URL(`api/v1/query?query=${encodeURIComponent(expr)}&time=${time}`, base), { signal });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = (await response.json()) as { status?: string; error?: string; data?: { result?: { value?: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(body.error ?? 'the query failed');
  const value = body.data?.result?.[0]?.value?.[1];
  return value === undefined ? 0 : Number(value);
}

export async function sloFromPrometheus(url: string): Promise<SloReport> {
  const base = url.endsWith('/') ? url : `${url}/`;
  const window = `${SLO_WINDOW_DAYS}d`;
  const signal = AbortSignal.timeout(PROMETHEUS_TIMEOUT_MS);
  // Every query at one instant: good and total from different scrapes would not add up.
  const time = Date.now() / 1000;
  const statuses = await Promise.all(
    SLOS.map(async (slo) => {
      const [good, total] = await Promise.all([
        scalarQuery(base, `sum(increase(${selectorToPromQL(slo.good)}[${window}]))`, time, signal),
        scalarQuery(base, `sum(increase(${selectorToPromQL(slo.total)}[${window}]))`, time, signal),
      ]);
      return { slo, ...readSli(slo, good, total) };
    }),
  );
  return { statuses, source: { kind: 'prometheus', url: base, window } };
}

/** From Prometheus when PROMETHEUS_URL is set and answers; otherwise (and then saying why) from this process. */
export async function readSloReport(prometheusUrl = process.env['PROMETHEUS_URL']): Promise<SloReport> {
  if (!prometheusUrl) return sloFromProcess();
  try {
    return await sloFromPrometheus(prometheusUrl);
  } catch (error) {
    const why =
      error instanceof Error && error.name === 'TimeoutError' ? `no answer in ${PROMETHEUS_TIMEOUT_MS / 1000} s` : (error as Error).message;
    return sloFromProcess(`Prometheus at ${prometheusUrl} could not be read (${why}).`);
  }
}
