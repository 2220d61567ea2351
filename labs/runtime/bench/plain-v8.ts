// The bench baseline that bounds what the sandbox could reach (issue 11): the benchmark's VU loop
// (http.get + check, 1,000 iterations per virtual second) as plain JavaScript in the host's own
// engine, against the same simulator and metrics registry, with no sandbox in between. Bench only:
// learners' code never runs outside QuickJS.
import { MetricsRegistry } from '../k6/metrics.ts';
import { ServiceSimulator } from '../simulator/simulator.ts';
import { BENCH_SERVICE } from './scenario.ts';

type Response = { status: number; timings: { duration: number; waiting: number }; body: string };

export function runPlainBaseline(iterations: number): { ms: number; iterations: number; checksPassed: number } {
  const start = performance.now();
  const registry = new MetricsRegistry();
  const simulator = new ServiceSimulator(BENCH_SERVICE, 1);
  const url = 'http://bench.test/api/items';
  const requestTags = registry.internTags({
    method: 'GET',
    url,
    name: url,
    status: '200',
    expected_response: 'true',
    group: '',
    scenario: 'load',
  });
  const checkTags = registry.internTags({ check: 'status is 200', group: '' });
  const iterationTags = registry.internTags({ scenario: 'load' });
  let clock = 0;
  let checksPassed = 0;
  const http = {
    get(target: string): Response {
      const r = simulator.submit({ arrival: clock, method: 'GET', url: target, bodyBytes: 0 });
      clock = r.end;
      for (const [metric, value] of [
        ['http_reqs', 1],
        ['http_req_duration', r.duration],
        ['http_req_waiting', r.waiting],
        ['http_req_sending', r.sending],
        ['http_req_receiving', r.receiving],
        ['http_req_blocked', 0],
        ['http_req_connecting', 0],
        ['http_req_tls_handshaking', 0],
        ['http_req_failed', r.status === 200 ? 0 : 1],
        ['data_sent', 200 + target.length],
        ['data_received', r.bodyBytes + 150],
      ] as const)
        registry.add(metric, value, requestTags, r.end);
      return { status: r.status, timings: { duration: r.duration, waiting: r.waiting }, body: '' };
    },
  };
  const check = (value: Response, sets: Record<string, (r: Response) => boolean>) => {
    for (const name of Object.keys(sets)) {
      const ok = sets[name]?.(value) === true;
      if (ok) checksPassed++;
      registry.add('checks', ok ? 1 : 0, checkTags, clock);
    }
  };
  const iteration = () => {
    const res = http.get(url);
    check(res, { 'status is 200': (r) => r.status === 200 });
  };
  for (let i = 0; i < iterations; i++) {
    clock = i;
    const began = clock;
    iteration();
    registry.add('iterations', 1, iterationTags, clock);
    registry.add('iteration_duration', clock - began, iterationTags, clock);
  }
  return { ms: performance.now() - start, iterations, checksPassed };
}
