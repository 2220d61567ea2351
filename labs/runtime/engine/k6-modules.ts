// The k6 API inside the sandbox: JavaScript source for the modules a script may import. Each
// function validates its arguments the way k6 does and forwards to host functions on `__k6`,
// which the engine installs per VU. Only this documented subset exists (labs/README.md).

const HTTP = `
const host = globalThis.__k6;
function toParams(params) {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object') throw new TypeError('http params must be an object');
  return params;
}
function toBody(body) {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (typeof body === 'object') return JSON.stringify(body);
  return String(body);
}
const STATUS_TEXT = { 200: 'OK', 201: 'Created', 204: 'No Content', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
const ERROR_TEXT = { 1050: 'request timeout', 1101: 'lookup: no such host' };
// The host answers "status|duration|waiting|sending|receiving|endpoint|discard|errorCode|blocked|url".
function makeResponse(line, method, body) {
  const f = line.split('|');
  const status = Number(f[0]);
  const url = f.slice(9).join('|');
  const failure = status === 0 ? (f[7] === '' ? 1050 : Number(f[7])) : 0;
  return {
    status,
    status_text: status === 0 ? '' : (status + ' ' + (STATUS_TEXT[status] || '')).trim(),
    url,
    body: status === 0 || f[6] === '1' ? null : JSON.stringify({ endpoint: f[5] || null, status }),
    error: failure === 0 ? '' : ERROR_TEXT[failure] || 'request failed',
    error_code: failure !== 0 ? failure : status >= 400 ? 1000 + status : 0,
    headers: { 'Content-Type': 'application/json' },
    timings: { duration: Number(f[1]), blocked: Number(f[8]), connecting: 0, tls_handshaking: 0, sending: Number(f[3]), waiting: Number(f[2]), receiving: Number(f[4]) },
    request: { method, url, body },
    json(selector) {
      const value = JSON.parse(this.body);
      if (selector === undefined) return value;
      return String(selector).split('.').reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), value);
    },
  };
}
function request(method, url, body, params) {
  if (typeof url !== 'string' && !(url && typeof url.url === 'string')) throw new TypeError('http request needs a URL string');
  const m = String(method).toUpperCase();
  const b = toBody(body);
  const p = params === undefined || params === null ? '' : JSON.stringify(toParams(params));
  return makeResponse(host.request(m + '\u0001' + (typeof url === 'string' ? url : url.url) + '\u0001' + p, b), m, b);
}
function batch(requests) {
  if (!Array.isArray(requests)) {
    if (requests && typeof requests === 'object') {
      const out = {};
      const keys = Object.keys(requests);
      const normalised = keys.map((k) => normalise(requests[k]));
      const lines = host.batch(JSON.stringify(normalised)).split('\u0002');
      keys.forEach((k, i) => { out[k] = makeResponse(lines[i], normalised[i].method, normalised[i].body); });
      return out;
    }
    throw new TypeError('http.batch expects an array or an object of requests');
  }
  const normalised = requests.map(normalise);
  const lines = host.batch(JSON.stringify(normalised)).split('\u0002');
  return lines.map((line, i) => makeResponse(line, normalised[i].method, normalised[i].body));
}
function normalise(r) {
  if (typeof r === 'string') return { method: 'GET', url: r, body: '', params: {} };
  if (Array.isArray(r)) return { method: String(r[0]).toUpperCase(), url: r[1], body: toBody(r[2]), params: toParams(r[3]) };
  if (r && typeof r === 'object') return { method: String(r.method || 'GET').toUpperCase(), url: r.url, body: toBody(r.body), params: toParams(r.params) };
  throw new TypeError('each batch request must be a URL, an array or an object');
}
const http = {
  get: (url, params) => request('GET', url, null, params),
  head: (url, params) => request('HEAD', url, null, params),
  post: (url, body, params) => request('POST', url, body, params),
  put: (url, body, params) => request('PUT', url, body, params),
  patch: (url, body, params) => request('PATCH', url, body, params),
  del: (url, body, params) => request('DELETE', url, body, params),
  options: (url, body, params) => request('OPTIONS', url, body, params),
  request: (method, url, body, params) => request(method, url, body, params),
  batch,
};
export const get = http.get, head = http.head, post = http.post, put = http.put, patch = http.patch, del = http.del, options = http.options;
export { request, batch };
export default http;
`;

const K6 = `
const host = globalThis.__k6;
export function check(value, sets, tags) {
  if (sets === null || typeof sets !== 'object') throw new TypeError('check() needs an object of named conditions');
  let all = true;
  for (const name of Object.keys(sets)) {
    const condition = sets[name];
    let ok;
    try {
      ok = typeof condition === 'function' ? !!condition(value) : !!condition;
    } catch (e) {
      ok = false;
    }
    host.check(name, ok ? 1 : 0, tags ? JSON.stringify(tags) : '{}');
    if (!ok) all = false;
  }
  return all;
}
export function sleep(seconds) {
  const s = Number(seconds);
  if (!(s >= 0)) throw new TypeError('sleep() needs a number of seconds >= 0');
  host.sleep(s);
}
export function group(name, fn) {
  if (typeof fn !== 'function') throw new TypeError('group() needs a function');
  host.groupEnter(String(name));
  try {
    return fn();
  } finally {
    host.groupLeave();
  }
}
export function fail(message) {
  throw new Error(message === undefined ? 'fail() was called' : String(message));
}
export default { check, sleep, group, fail };
`;

const METRICS = `
const host = globalThis.__k6;
class Metric {
  constructor(type, name, isTime) {
    if (typeof name !== 'string') throw new TypeError('a metric needs a name');
    this.name = name;
    host.defineMetric(type, name, !!isTime);
  }
  add(value, tags) {
    host.addMetric(this.name, Number(value), JSON.stringify(tags || {}));
  }
}
export class Counter extends Metric { constructor(name, isTime) { super('counter', name, isTime); } }
export class Gauge extends Metric { constructor(name, isTime) { super('gauge', name, isTime); } }
export class Rate extends Metric { constructor(name) { super('rate', name, false); } add(value, tags) { host.addMetric(this.name, value ? 1 : 0, JSON.stringify(tags || {})); } }
export class Trend extends Metric { constructor(name, isTime) { super('trend', name, isTime); } }
export default { Counter, Gauge, Rate, Trend };
`;

// k6/execution: read on demand (one host call per property read), so values are current.
const EXECUTION = `
const host = globalThis.__k6;
const info = () => JSON.parse(host.execInfo());
const section = (name, keys) => {
  const object = {};
  for (const key of keys) Object.defineProperty(object, key, { enumerable: true, get: () => { const s = info()[name]; return s === null ? undefined : s[key]; } });
  return object;
};
const vu = section('vu', ['idInTest', 'idInInstance', 'iterationInInstance', 'iterationInScenario']);
Object.defineProperty(vu, 'tags', { enumerable: true, get: () => ({}) });
const scenario = section('scenario', ['name', 'executor', 'startTime', 'progress', 'iterationInInstance', 'iterationInTest']);
const instance = section('instance', ['vusActive', 'vusInitialized', 'iterationsCompleted', 'iterationsInterrupted', 'currentTestRunDuration']);
const test = {
  abort(message) {
    host.abort(message === undefined ? '' : String(message));
    throw new Error('test aborted');
  },
};
export { vu, scenario, instance, test };
export default { vu, scenario, instance, test };
`;

/** Runs in every context before the script: deterministic clock and randomness, console capture. */
export const PRELUDE = `
(() => {
  const host = globalThis.__k6;
  const RealDate = Date;
  class VirtualDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(host.now()); else super(...args); }
    static now() { return host.now(); }
  }
  globalThis.Date = VirtualDate;
  Math.random = () => host.random();
  // Read on demand: setting it before every iteration cost three calls across the WebAssembly boundary.
  Object.defineProperty(globalThis, '__ITER', { get: () => host.iteration(), configurable: false });
  const write = (level) => (...args) => host.log(level, args.map((a) => {
    if (typeof a === 'string') return a;
    try { return JSON.stringify(a); } catch (e) { return String(a); }
  }).join(' '));
  globalThis.console = { log: write('info'), info: write('info'), warn: write('warn'), error: write('error'), debug: write('debug') };
})();
`;

export const K6_MODULES: Record<string, string> = { k6: K6, 'k6/http': HTTP, 'k6/metrics': METRICS, 'k6/execution': EXECUTION };
