// /admin/health's figures: from this process's counters, or from Prometheus's query API when
// PROMETHEUS_URL is set — and back to the process, saying why, when Prometheus cannot be read.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSloReport } from '../../src/features/health/slo-status.server.ts';
import { SLOS, selectorToPromQL } from '../../src/features/health/slos.ts';
import { metrics, recordAutosave } from '../../src/lib/server/metrics.server.ts';

const queries: string[] = [];
const times = new Set<string | null>();
let prometheus: Server;
let prometheusUrl = '';
let answer: (query: string) => { status: number; body: unknown } = () => ({ status: 200, body: {} });

beforeAll(async () => {
  // Prometheus's HTTP API, as far as /api/v1/query goes.
  prometheus = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
    queries.push(query);
    times.add(new URL(req.url ?? '/', 'http://x').searchParams.get('time'));
    const { status, body } = answer(query);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  prometheusUrl = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => prometheus.close(() => resolve())));

const vector = (value: number) => ({
  status: 'success',
  data: { resultType: 'vector', result: [{ metric: {}, value: [0, String(value)] }] },
});

describe('SLO report', () => {
  it('reads this process counters with the SLO definitions when no Prometheus is configured', async () => {
    for (let i = 0; i < 998; i += 1) recordAutosave('acknowledged', 0.004);
    recordAutosave('acknowledged', 0.3);
    recordAutosave('failed', 0.01);
    recordAutosave('rejected', 0.002);
    metrics().verifyDuration.labels('completed').observe(12);
    metrics().verifyDuration.labels('busy').observe(0);

    const report = await readSloReport('');
    expect(report.source.kind).toBe('process');
    const byId = new Map(report.statuses.map((s) => [s.slo.id, s]));
    expect(byId.get('autosave-success')).toMatchObject({ events: 1000, sli: 0.999 });
    expect(byId.get('autosave-success')?.budgetLeft).toBeCloseTo(0, 9);
    expect(byId.get('autosave-latency')).toMatchObject({ events: 999 });
    expect(byId.get('autosave-latency')?.sli).toBeCloseTo(998 / 999, 12);
    expect(byId.get('verification-latency')).toMatchObject({ events: 2, sli: 0.5 });
    expect(byId.get('verification-latency')?.budgetLeft).toBeCloseTo(-9, 9);
    expect(byId.get('page-availability')).toMatchObject({ events: 0, sli: null, budgetLeft: null });
  });

  it('asks Prometheus for good and total events over the SLO window when PROMETHEUS_URL is set', async () => {
    queries.length = 0;
    times.clear();
    answer = (query) => {
      if (!query.startsWith('sum(increase(')) return { status: 400, body: { status: 'error', error: 'unexpected' } };
      const good = SLOS.some((slo) => query === `sum(increase(${selectorToPromQL(slo.good)}[30d]))`);
      return { status: 200, body: vector(good ? 990 : 1000) };
    };
    const report = await readSloReport(prometheusUrl);
    expect(report.source).toEqual({ kind: 'prometheus', url: `${prometheusUrl}/`, window: '30d' });
    expect(queries).toContain('sum(increase(headroom_autosaves_total{outcome!="rejected"}[30d]))');
    expect(queries).toContain('sum(increase(http_request_duration_seconds_count{route!="/metrics",status_class!="5xx"}[30d]))');
    expect(queries).toHaveLength(8);
    // All at one evaluation time.
    expect(times.size).toBe(1);
    expect(Number([...times][0])).toBeGreaterThan(0);
    for (const status of report.statuses) expect(status).toMatchObject({ events: 1000, sli: 0.99 });
  });

  it('falls back to this process, naming the reason, when Prometheus answers with an error', async () => {
    answer = () => ({ status: 503, body: { status: 'error', error: 'overloaded' } });
    const report = await readSloReport(prometheusUrl);
    expect(report.source).toMatchObject({ kind: 'process', reason: `Prometheus at ${prometheusUrl} could not be read (HTTP 503).` });
    expect(report.statuses.find((s) => s.slo.id === 'autosave-success')?.events).toBe(1000);
  });

  it('falls back when Prometheus is unreachable or the URL is not one', async () => {
    const closed = await readSloReport('http://127.0.0.1:1/');
    expect(closed.source).toMatchObject({ kind: 'process', reason: expect.stringContaining('could not be read') });
    const nonsense = await readSloReport('not a url');
    expect(nonsense.source).toMatchObject({ kind: 'process', reason: expect.stringContaining('not a url') });
  });
});
