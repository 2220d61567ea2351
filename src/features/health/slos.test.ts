import { describe, expect, it } from 'vitest';
import { errorRatioQuery, readSli, readSliFromCounters, SLOS, type SloDefinition, selectorToPromQL } from './slos.ts';

const slo = (id: SloDefinition['id']) => SLOS.find((s) => s.id === id) as SloDefinition;

describe('SLO definitions', () => {
  it('write selectors as PromQL matchers', () => {
    expect(selectorToPromQL(slo('page-availability').good)).toBe(
      'http_request_duration_seconds_count{route!="/metrics",status_class!="5xx"}',
    );
    expect(selectorToPromQL({ metric: 'x', labels: { a: 'say "hi"\\' } })).toBe('x{a="say \\"hi\\"\\\\"}');
    expect(selectorToPromQL(slo('verification-latency').total)).toBe('headroom_lab_verification_duration_seconds_count');
  });

  it('count missing good events as zero in the error ratio', () => {
    expect(errorRatioQuery(slo('autosave-success'), '5m')).toBe(
      '(sum(rate(headroom_autosaves_total{outcome!="rejected"}[5m])) - (sum(rate(headroom_autosaves_total{outcome="acknowledged"}[5m])) or vector(0))) / sum(rate(headroom_autosaves_total{outcome!="rejected"}[5m]))',
    );
  });

  it('read the SLI and the budget left from counters, with the same matchers', () => {
    const series = [
      { name: 'headroom_autosaves_total', labels: { outcome: 'acknowledged' }, value: 1998 },
      { name: 'headroom_autosaves_total', labels: { outcome: 'failed' }, value: 1 },
      { name: 'headroom_autosaves_total', labels: { outcome: 'rejected' }, value: 500 },
      { name: 'headroom_autosaves_total_other', labels: { outcome: 'failed' }, value: 100 },
    ];
    const reading = readSliFromCounters(slo('autosave-success'), series);
    expect(reading.events).toBe(1999);
    expect(reading.sli).toBeCloseTo(1998 / 1999, 12);
    // 1 error in 1999 events against a 0.1 % budget: half of it is spent.
    expect(reading.budgetLeft).toBeCloseTo(1 - 1 / 1999 / 0.001, 9);
  });

  it('say "no data" rather than 100 % when nothing happened, and go negative when overspent', () => {
    expect(readSli(slo('autosave-latency'), 0, 0)).toEqual({ sli: null, budgetLeft: null, events: 0 });
    expect(readSli(slo('autosave-latency'), 90, 100).budgetLeft).toBeCloseTo(-9, 9);
  });

  it('have objectives strictly between 0 and 1 and distinct ids', () => {
    expect(new Set(SLOS.map((s) => s.id)).size).toBe(SLOS.length);
    for (const s of SLOS) expect(s.objective > 0 && s.objective < 1).toBe(true);
  });
});
