// The k6 API inside the sandbox: JavaScript source for the modules a script may import. Each
// function validates its arguments the way k6 does and forwards to host functions on `__k6`,
// which the engine installs per VU. Only this documented subset exists (labs/README.md).

const HTTP = String.raw`
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
function makeResponse(raw) {
  const response = {
    status: raw.status,
    status_text: raw.statusText,
    url: raw.url,
    body: raw.body,
    error: raw.error,
    error_code: raw.errorCode,
    headers: raw.headers,
    timings: raw.timings,
    request: raw.request,
    json(selector) {
      const value = JSON.parse(this.body);
      if (selector === undefined) return value;
      return String(selector).split('.').reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), value);
    },
  };
  return response;
}
function request(method, url, body, params) {
  if (typeof url !== 'string' && !(url && typeof url.url === 'string')) throw new TypeError('http request needs a URL string');
  return makeResponse(JSON.parse(host.request(String(method).toUpperCase(), typeof url === 'string' ? url : url.url, toBody(body), params === undefined || params === null ? '' : JSON.stringify(toParams(params)))));
}
function batch(requests) {
  if (!Array.isArray(requests)) {
    if (requests && typeof requests === 'object') {
      const out = {};
      const keys = Object.keys(requests);
      const list = host.batch(JSON.stringify(keys.map((k) => normalise(requests[k]))));
      keys.forEach((k, i) => { out[k] = makeResponse(list[i]); });
      return out;
    }
    throw new TypeError('http.batch expects an array or an object of requests');
  }
  return host.batch(JSON.stringify(requests.map(normalise))).map(makeResponse);
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

const K6 = String.raw`
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
    host.check(name, ok, tags ? JSON.stringify(tags) : '{}');
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

const METRICS = String.raw`
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

/** Runs in every context before the script: deterministic clock and randomness, console capture. */
export const PRELUDE = String.raw`
(() => {
  const host = globalThis.__k6;
  const RealDate = Date;
  class VirtualDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(host.now()); else super(...args); }
    static now() { return host.now(); }
  }
  globalThis.Date = VirtualDate;
  Math.random = () => host.random();
  const write = (level) => (...args) => host.log(level, args.map((a) => {
    if (typeof a === 'string') return a;
    try { return JSON.stringify(a); } catch (e) { return String(a); }
  }).join(' '));
  globalThis.console = { log: write('info'), info: write('info'), warn: write('warn'), error: write('error'), debug: write('debug') };
})();
`;

export const K6_MODULES: Record<string, string> = { k6: K6, 'k6/http': HTTP, 'k6/metrics': METRICS };
