import { describe, expect, it } from 'vitest';
import type { Service } from '../simulator/service.ts';
import { runLoadTest } from './engine.ts';

const fast: Service = {
  name: 'fast service',
  workers: 64,
  queueLimit: 1000,
  queueTimeoutMs: 10_000,
  endpoints: [
    { method: 'GET', path: '/', serviceTime: { type: 'exponential', mean: 20 }, responseBytes: 1000 },
    { method: 'POST', path: '/slow', serviceTime: { type: 'constant', value: 200 }, responseBytes: 100 },
  ],
  faults: [],
};

const run = (script: string, extra: { seed?: number; deadlineMs?: number; service?: Service } = {}) =>
  runLoadTest({
    script,
    service: extra.service ?? fast,
    seed: extra.seed ?? 1,
    baseUrl: 'http://svc.test',
    limits: { deadlineMs: extra.deadlineMs ?? 20_000 },
  });

const HEADER = `import http from 'k6/http';\nimport { check, sleep, group } from 'k6';\n`;

describe('the load-test engine', () => {
  it('gives responses the fields k6 scripts read, assign and serialise', async () => {
    const result = await run(`${HEADER}
export const options = { iterations: 1 };
export default function () {
  const res = http.get('/');
  console.log(Object.keys(JSON.parse(JSON.stringify(res))).join(','));
  console.log(JSON.stringify(res.request) + ' ' + typeof res.timings.duration + ' ' + (res.timings.duration > 0));
  console.log(JSON.stringify(res.timings) === JSON.stringify(JSON.parse(JSON.stringify(res)).timings));
  res.timings = 'replaced';
  res.request = { method: 'X' };
  res.extra = 1;
  console.log(res.timings + ' ' + res.request.method + ' ' + JSON.stringify(res).includes('"timings":"replaced"') + ' ' + JSON.stringify(res).endsWith('"extra":1}'));
  const other = http.post('/slow', 'payload');
  console.log(other.request.method + ' ' + other.request.body + ' ' + other.request.url);
}`);
    expect(result.error).toBeNull();
    expect(result.console).toEqual([
      '[VU 1] info: status,status_text,url,body,error,error_code,headers,timings,request',
      '[VU 1] info: {"method":"GET","url":"http://svc.test/","body":""} number true',
      '[VU 1] info: true',
      '[VU 1] info: replaced X true true',
      '[VU 1] info: POST payload http://svc.test/slow',
    ]);
  });

  it('reports live progress with the VUs running at each moment', async () => {
    // 5 VUs for the first 20 s, then 2 more: each report must count the VUs active at its time.
    const reports: { virtualMs: number; vus: number }[] = [];
    const result = await runLoadTest({
      script: `${HEADER}
export const options = { scenarios: {
  steady: { executor: 'constant-vus', vus: 5, duration: '40s' },
  late: { executor: 'constant-vus', vus: 2, duration: '20s', startTime: '20s' },
} };
export default function () { http.get('/'); sleep(0.005); }`,
      service: fast,
      seed: 1,
      baseUrl: 'http://svc.test',
      limits: { deadlineMs: 20_000 },
      onProgress: (p) => reports.push({ virtualMs: p.virtualMs, vus: p.vus }),
    });
    expect(result.error).toBeNull();
    const early = reports.filter((r) => r.virtualMs > 1_000 && r.virtualMs < 19_000);
    const late = reports.filter((r) => r.virtualMs > 21_000 && r.virtualMs < 39_000);
    expect(early.length).toBeGreaterThan(3);
    expect(late.length).toBeGreaterThan(3);
    for (const r of early) expect(r.vus).toBe(5);
    for (const r of late) expect(r.vus).toBe(7);
    expect(reports.map((r) => r.virtualMs)).toEqual([...reports.map((r) => r.virtualMs)].sort((a, b) => a - b));
  });

  it('runs a k6 script and prints the k6 summary with checks and thresholds', async () => {
    const result = await run(`${HEADER}
export const options = { vus: 2, duration: '30s', thresholds: { http_req_duration: ['p(95)<500'], checks: ['rate>0.99'] } };
export default function () {
  const res = http.get('/');
  check(res, { 'status is 200': (r) => r.status === 200 });
  sleep(1);
}`);
    expect(result.error).toBeNull();
    expect(result.exitCode).toBe(0);
    expect(result.requests).toBe(result.iterations);
    expect(result.iterations).toBeGreaterThan(55);
    expect(result.iterations).toBeLessThanOrEqual(60);
    expect(result.checks).toEqual([{ name: 'status is 200', passes: result.iterations, fails: 0 }]);
    expect(result.summaryText).toContain('✓ status is 200');
    expect(result.summaryText).toMatch(/✓ http_req_duration\.+: avg=/);
    expect(result.summaryText).toContain('http_reqs');
  });

  it('gives bit-identical results for the same seed and different ones for another', async () => {
    const script = `${HEADER}export const options = { vus: 5, duration: '20s' };
export default function () { http.get('/'); sleep(Math.random()); }`;
    const [a, b, c] = await Promise.all([run(script, { seed: 7 }), run(script, { seed: 7 }), run(script, { seed: 8 })]);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.summaryText).not.toBe(c.summaryText);
  });

  it('exits with 99 when a threshold fails, and stops early with abortOnFail', async () => {
    const failing = await run(`${HEADER}export const options = { vus: 1, duration: '10s', thresholds: { http_req_duration: ['p(95)<1'] } };
export default function () { http.get('/'); sleep(1); }`);
    expect(failing.exitCode).toBe(99);
    expect(failing.summaryText).toMatch(/✗ http_req_duration/);
    const aborted =
      await run(`${HEADER}export const options = { vus: 1, duration: '10m', thresholds: { http_req_duration: [{ threshold: 'p(95)<1', abortOnFail: true }] } };
export default function () { http.get('/'); sleep(1); }`);
    expect(aborted.exitCode).toBe(99);
    expect(aborted.virtualDurationMs).toBeLessThan(60_000);
  });

  it('rejects an unknown option, executor or threshold metric by name', async () => {
    const option = await run(`${HEADER}export const options = { durration: '10s' }; export default function () {}`);
    expect(option.error).toMatchObject({ kind: 'options', message: expect.stringContaining('"durration"') });
    const executor = await run(
      `${HEADER}export const options = { scenarios: { a: { executor: 'constant-arival-rate', rate: 1, duration: '1s', preAllocatedVUs: 1 } } }; export default function () {}`,
    );
    expect(executor.error?.message).toContain('constant-arival-rate');
    const metric = await run(
      `${HEADER}export const options = { thresholds: { http_req_durration: ['p(95)<300'] } }; export default function () { http.get('/'); }`,
    );
    expect(metric.error).toMatchObject({ kind: 'thresholds', message: expect.stringContaining('http_req_durration') });
  });

  it('reports a syntax error with its line and column', async () => {
    const result = await run(`${HEADER}export default function () {\n  const x = ;\n}`);
    expect(result.error).toMatchObject({ kind: 'syntax', line: 4 });
    expect(result.error?.column).toBeGreaterThan(0);
    expect(result.error?.message).toMatch(/line 4, column \d+/);
  });

  it('stops an endless loop in the default function or in setup at the deadline', async () => {
    for (const where of [
      'export default function () { while (true) {} }',
      'export function setup() { for (;;) {} }\nexport default function () {}',
    ]) {
      const result = await run(`${HEADER}${where}`, { deadlineMs: 1000 });
      expect(result.error?.kind).toBe('deadline');
      expect(result.error?.message).toContain('time limit');
    }
  });

  it('stops a memory bomb', async () => {
    const result = await run(`${HEADER}export default function () { const a = []; for (;;) a.push('x'.repeat(1e6)); }`);
    expect(['memory', 'deadline']).toContain(result.error?.kind);
  });

  it('gives scripts no way to reach the host', async () => {
    const result = await run(`${HEADER}export const options = { iterations: 1 };
export default function () {
  const escape = globalThis.constructor.constructor('return typeof process + "," + typeof require + "," + typeof fetch + "," + typeof setTimeout')();
  console.log(escape, typeof process, typeof require, typeof fetch);
}`);
    expect(result.error).toBeNull();
    expect(result.console).toEqual(['[VU 1] info: undefined,undefined,undefined,undefined undefined undefined undefined']);
  });

  it('truncates enormous console output', async () => {
    const result = await run(`${HEADER}export const options = { iterations: 1 };
export default function () { for (let i = 0; i < 100000; i++) console.log('line ' + i + ' ' + 'x'.repeat(100)); }`);
    expect(result.console.length).toBeLessThanOrEqual(200);
    expect(result.consoleTruncated).toBeGreaterThan(99_000);
  });

  it('passes setup data to every iteration and runs teardown', async () => {
    const result = await run(`${HEADER}export const options = { iterations: 3 };
export function setup() { http.get('/'); return { token: 'abc' }; }
export default function (data) { http.get('/?t=' + data.token); }
export function teardown(data) { console.log('teardown ' + data.token); }`);
    expect(result.error).toBeNull();
    expect(result.iterations).toBe(3);
    expect(result.requests).toBe(4);
    expect(result.console).toContain('[VU 0] info: teardown abc');
  });

  it('runs the executors as k6 does', async () => {
    const shared = await run(
      `${HEADER}export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 4, iterations: 25 } } }; export default function () { http.get('/'); }`,
    );
    expect(shared.iterations).toBe(25);
    const perVu = await run(
      `${HEADER}export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 3, iterations: 4 } } }; export default function () { http.get('/'); }`,
    );
    expect(perVu.iterations).toBe(12);
    const ramp = await run(
      `${HEADER}export const options = { stages: [{ duration: '20s', target: 10 }, { duration: '20s', target: 0 }] }; export default function () { http.get('/'); sleep(1); }`,
    );
    expect(Math.max(...ramp.timeSeries.vus)).toBe(10);
    const rate = await run(
      `${HEADER}export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '10s', preAllocatedVUs: 20 } } }; export default function () { http.get('/'); }`,
    );
    expect(rate.iterations).toBe(500);
    expect(rate.droppedIterations).toBe(0);
  });

  it('drops iterations when an arrival-rate executor runs out of VUs', async () => {
    const result =
      await run(`${HEADER}export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '10s', preAllocatedVUs: 2, maxVUs: 4 } } };
export default function () { http.post('/slow'); }`);
    expect(result.droppedIterations).toBeGreaterThan(0);
    expect(result.iterations + result.droppedIterations).toBe(500);
    expect(result.summaryText).toContain('dropped_iterations');
  });

  it('obeys the response-time law for a closed model: X = N / (R + Z)', async () => {
    const result = await run(`${HEADER}export const options = { vus: 20, duration: '2m' };
export default function () { http.get('/'); sleep(1); }`);
    const scenario = result.scenarios[0];
    const throughput = result.requests / (result.virtualDurationMs / 1000);
    const meanR = (result.summary?.metrics['http_req_duration']?.values['avg'] ?? 0) / 1000;
    expect(throughput).toBeCloseTo(20 / (meanR + 1), 0);
    expect(Math.abs(throughput - 20 / (meanR + 1)) / throughput).toBeLessThan(0.02);
    expect(scenario?.requests).toBe(result.requests);
  });

  it('replays iterations with several requests exactly: every request of every iteration counted once', async () => {
    const result = await run(`${HEADER}export const options = { vus: 30, duration: '20s' };
export default function () {
  group('browse', () => { http.get('/'); http.get('/?page=2'); });
  http.post('/slow');
  check(null, { always: () => true });
}`);
    expect(result.error).toBeNull();
    expect(result.requests).toBe(3 * result.iterations + 3 * 0);
    expect(result.checks[0]?.passes).toBe(result.iterations);
  });

  it('times a batch as parallel requests', async () => {
    const result = await run(`${HEADER}export const options = { iterations: 1 };
export default function () { const r = http.batch([['POST', '/slow'], ['POST', '/slow'], ['POST', '/slow']]); console.log(r.length + ' ' + r[2].status); }`);
    expect(result.console).toEqual(['[VU 1] info: 3 200']);
    expect(result.summary?.metrics['iteration_duration']?.values['max']).toBeLessThan(400);
  });
});

describe('k6/execution and the exit codes of service model 2', () => {
  const model2 = (script: string, extra: Partial<Parameters<typeof runLoadTest>[0]> = {}) =>
    runLoadTest({ script, service: fast, seed: 1, baseUrl: 'http://svc.test', serviceModel: 2, limits: { deadlineMs: 20_000 }, ...extra });

  it('ends the test on exec.test.abort() with exit code 108, keeping the summary and running teardown', async () => {
    const result = await model2(`${HEADER}import exec from 'k6/execution';
export const options = { vus: 2, duration: '1m' };
export default function () {
  http.get('/');
  if (exec.instance.iterationsCompleted >= 5) exec.test.abort('five are enough');
  sleep(1);
}
export function teardown() { console.log('teardown ran'); }`);
    expect(result.exitCode).toBe(108);
    expect(result.error).toMatchObject({ kind: 'aborted', message: 'test aborted: five are enough' });
    expect(result.summaryText).toContain('http_reqs');
    expect(result.virtualDurationMs).toBeLessThan(10_000);
    expect(result.console.some((line) => line.includes('teardown ran'))).toBe(true);
  });

  it('reports the VU, its iteration and the scenario to the script', async () => {
    const result = await model2(`${HEADER}import exec from 'k6/execution';
export const options = { scenarios: { browse: { executor: 'per-vu-iterations', vus: 2, iterations: 2 } } };
export default function () {
  console.log(exec.scenario.name + ' vu=' + exec.vu.idInTest + ' iter=' + exec.vu.iterationInScenario);
}`);
    expect(result.console.map((line) => line.replace(/^\[VU \d+\] info: /, '')).sort()).toEqual([
      'browse vu=1 iter=0',
      'browse vu=1 iter=1',
      'browse vu=2 iter=0',
      'browse vu=2 iter=1',
    ]);
  });

  it('exits 104 for invalid options in model 2 and keeps 107 in model 1, which lab version 1 was verified with', async () => {
    const script = `${HEADER}export const options = { vus: -1 };\nexport default function () {}`;
    expect((await model2(script)).exitCode).toBe(104);
    expect((await run(script)).exitCode).toBe(107);
  });

  it('lets command-line overrides replace the script’s execution options', async () => {
    const result = await model2(
      `${HEADER}export const options = { scenarios: { a: { executor: 'constant-vus', vus: 5, duration: '1m' } } };
export default function () { http.get('/'); }`,
      { optionOverrides: { vus: 2, iterations: 6 } },
    );
    expect(result.error).toBeNull();
    expect(result.iterations).toBe(6);
    expect(result.scenarios.map((s) => s.executor)).toEqual(['shared-iterations']);
  });

  it('hands every sample to onSample with its metric type and virtual time', async () => {
    const samples: { name: string; time: number }[] = [];
    await model2(
      `${HEADER}export const options = { iterations: 3 };
export default function () { http.get('/'); }`,
      { onSample: (s) => samples.push({ name: s.metric.name, time: s.time }) },
    );
    expect(samples.filter((s) => s.name === 'http_reqs')).toHaveLength(3);
    expect(samples.every((s) => s.time >= 0)).toBe(true);
  });
});

describe('host routing in service model 2', () => {
  const shopLike: Service = {
    ...fast,
    name: 'shop',
    endpoints: [{ method: 'GET', path: '/api/products', serviceTime: { type: 'constant', value: 10 }, responseBytes: 500 }],
  };
  const other: Service = {
    ...fast,
    name: 'other',
    endpoints: [{ method: 'GET', path: '/api/products', serviceTime: { type: 'constant', value: 50 }, responseBytes: 500 }],
  };
  const script = `${HEADER}export const options = { iterations: 1 };
export default function () {
  for (const url of ['http://svc.test/api/products', 'http://OTHER.test:8080/api/products', 'http://nowhere.test/api/products', 'http://svc.test/missing']) {
    const r = http.get(url);
    console.log(url + ' ' + r.status + ' ' + r.error_code + ' ' + r.error + ' ' + r.timings.duration + ' ' + r.timings.blocked);
  }
}`;

  it('sends each request to the target serving its host and fails unknown hosts like a DNS lookup', async () => {
    const result = await runLoadTest({
      script,
      service: shopLike,
      seed: 1,
      baseUrl: 'http://svc.test',
      serviceModel: 2,
      targets: [{ hosts: ['other.test'], service: other }],
    });
    const lines = result.console.filter((line) => line.includes(' info: ')).map((line) => line.replace(/^\[VU \d+\] info: /, ''));
    expect(lines[0]).toMatch(/^http:\/\/svc.test\/api\/products 200 0 {2}10\.\d+ 0$/);
    expect(lines[1]).toMatch(/^http:\/\/OTHER.test:8080\/api\/products 200 0 {2}50\.\d+ 0$/);
    expect(lines[2]).toBe('http://nowhere.test/api/products 0 1101 lookup: no such host 0 2');
    expect(lines[3]).toMatch(/^http:\/\/svc.test\/missing 404 1404 /);
    expect(result.console.some((line) => line.includes('warn: Request Failed') && line.includes('lookup nowhere.test: no such host'))).toBe(
      true,
    );
  });

  it('keeps model 1 answering every host from the one service, as lab version 1 was verified', async () => {
    const result = await runLoadTest({ script, service: shopLike, seed: 1, baseUrl: 'http://svc.test' });
    const statuses = result.console.map((line) => line.split(' ')[4]);
    expect(statuses).toEqual(['200', '200', '200', '404']);
  });

  it('charges a thrown iteration virtual time and counts it, so a VU without sleep does not loop at one instant', async () => {
    const result = await runLoadTest({
      script: `${HEADER}export const options = { vus: 1, duration: '2s' };
export default function () { JSON.parse(__ENV.MISSING); }`,
      service: shopLike,
      seed: 1,
      baseUrl: 'http://svc.test',
      serviceModel: 2,
    });
    expect(result.error).toBeNull();
    expect(result.iterations).toBe(2000);
    expect(result.scriptErrors).toBe(2000);
  });
});

describe('checks buffered in the guest', () => {
  it('counts checks made in groups, after the last request, in setup and teardown and before an exception', async () => {
    const result = await run(`${HEADER}
export const options = { vus: 1, iterations: 4 };
export function setup() { check(1, { 'in setup': () => true }); }
export default function () {
  group('shop', () => {
    const res = http.get('/');
    check(res, { 'in a group': (r) => r.status === 200 });
  });
  check(null, { 'after the last request': () => true, 'a failing one': () => false });
  if (__ITER === 3) {
    check(null, { 'before an exception': () => true });
    throw new Error('boom');
  }
}
export function teardown() { check(1, { 'in teardown': () => true }); }`);
    const counts = Object.fromEntries(result.checks.map((c) => [c.name, [c.passes, c.fails]]));
    expect(counts).toEqual({
      'in setup': [1, 0],
      'in a group': [4, 0],
      'after the last request': [4, 0],
      'a failing one': [0, 4],
      'before an exception': [1, 0],
      'in teardown': [1, 0],
    });
    expect(result.summaryText).toContain('█ shop');
  });
});
