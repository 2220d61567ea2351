// The k6 API inside the sandbox: JavaScript source for the modules a script may import. Each
// function validates its arguments the way k6 does and forwards to host functions on `__k6`,
// which the engine installs per VU. Only this documented subset exists (labs/README.md).
import { STATUS_TEXT } from '../http/message.ts';
import { HTML_SOURCE } from './k6-html.ts';

/** The HTML parser and Selection API as an expression giving { htmlOf, submitFormOf }. */
const HTML_API = `(function () {\n${HTML_SOURCE}\nreturn { htmlOf, submitFormOf };\n})()`;

const HTTP = `
const host = globalThis.__k6;
// The HTML parser and Selection API are compiled on first use (res.html(), res.submitForm()), not
// when each VU starts: most scripts never parse HTML, and start-up is paid once per VU.
const HTML_API = ${JSON.stringify(HTML_API)};
let htmlApi = null;
function html() {
  if (htmlApi === null) htmlApi = (0, eval)(HTML_API);
  return htmlApi;
}
function htmlOf(res, selector) { return html().htmlOf(res, selector); }
function submitFormOf(res, options, send) { return html().submitFormOf(res, options, send); }
function toParams(params) {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object') throw new TypeError('http params must be an object');
  return params;
}
const MODEL = host.model;
function toBody(body) {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (typeof body === 'object') return MODEL >= 2 ? (hasFiles(body) ? multipart(body) : formEncode(body)) : JSON.stringify(body);
  return String(body);
}
// k6 sends an object body as a URL-encoded form, keys sorted as Go's url.Values does.
function formEncode(fields) {
  return Object.keys(fields).sort().map((k) => {
    const v = fields[k];
    const values = Array.isArray(v) ? v : [v];
    return values.map((x) => encodeURIComponent(k) + '=' + encodeURIComponent(x === undefined || x === null ? '' : String(x))).join('&');
  }).filter((x) => x !== '').join('&').replace(/%20/g, '+');
}
const FILE = Symbol('k6 file');
// http.file(): a part of a multipart body.
function file(data, filename, contentType) {
  if (data === undefined || data === null) throw new TypeError('http.file() needs data');
  const bytes = typeof data === 'string' ? data : latin1(new Uint8Array(data instanceof ArrayBuffer ? data : data.buffer));
  return { [FILE]: true, data: bytes, filename: filename === undefined ? 'file' : String(filename), content_type: contentType === undefined ? 'application/octet-stream' : String(contentType) };
}
function latin1(bytes) { let s = ''; for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]); return s; }
function hasFiles(fields) { return Object.keys(fields).some((k) => fields[k] && fields[k][FILE]); }
const boundaries = new WeakMap();
// k6 sends an object with http.file() values as multipart/form-data, fields in key order.
function multipart(fields) {
  let boundary = '';
  for (let i = 0; i < 30; i++) boundary += '0123456789abcdef'[Math.floor(Math.random() * 16)];
  let out = '';
  for (const key of Object.keys(fields).sort()) {
    const v = fields[key];
    if (v && v[FILE]) out += '--' + boundary + '\\r\\nContent-Disposition: form-data; name="' + key + '"; filename="' + v.filename + '"\\r\\nContent-Type: ' + v.content_type + '\\r\\n\\r\\n' + v.data + '\\r\\n';
    else out += '--' + boundary + '\\r\\nContent-Disposition: form-data; name="' + key + '"\\r\\n\\r\\n' + (v === undefined || v === null ? '' : String(v)) + '\\r\\n';
  }
  out += '--' + boundary + '--\\r\\n';
  boundaries.set(fields, boundary);
  return out;
}
function withFormType(body, params) {
  if (MODEL < 2 || body === null || typeof body !== 'object') return params;
  const headers = Object.assign({}, params && params.headers);
  const type = hasFiles(body) ? 'multipart/form-data; boundary=' + boundaries.get(body) : 'application/x-www-form-urlencoded';
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = type;
  return Object.assign({}, params, { headers });
}
const STATUS_TEXT = ${JSON.stringify(STATUS_TEXT)};
const ERROR_TEXT = { 1050: 'request timeout', 1101: 'lookup: no such host' };
function parseJson(text) { return JSON.parse(text); }
function select(value, selector) {
  if (selector === undefined) return value;
  return String(selector).split('.').reduce((v, k) => {
    if (v === undefined || v === null) return undefined;
    if (k === '#' && Array.isArray(v)) return v.length;
    return v[k];
  }, value);
}
// The host answers "status|duration|waiting|sending|receiving|endpoint|discard|errorCode|blocked",
// then \u0003 and the URL (the first \u0003 is always the separator; the URL may hold anything).
// A response's methods live on a shared prototype (one per service model), so making a response
// allocates no closures; for..in and JSON.stringify see the same as with own methods.
const statusTexts = new Map();
function statusText(status) {
  let text = statusTexts.get(status);
  if (text === undefined) {
    text = status === 0 ? '' : (status + ' ' + (STATUS_TEXT[status] || '')).trim();
    statusTexts.set(status, text);
  }
  return text;
}
// timings and request are made on first read from the answer's fields (most scripts never read
// them); reading or assigning one makes it an ordinary own property, and toJSON keeps
// JSON.stringify(res) as it was with every field made up front.
const FIELDS = Symbol('answer fields');
const LINE = Symbol('answer line');
const METHOD = Symbol('request method');
const BODY = Symbol('request body');
// The answer's fields, split on first use (model 1 keeps only the line until a lazy field is read).
function fieldsOf(res) {
  let f = res[FIELDS];
  if (f === undefined) {
    f = res[LINE].split('|');
    res[FIELDS] = f;
  }
  return f;
}
const ownField = (res, key, value) => {
  Object.defineProperty(res, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
};
const RESPONSE_V1 = {
  get timings() {
    const f = fieldsOf(this);
    return ownField(this, 'timings', { duration: +f[1], blocked: +f[8], connecting: 0, tls_handshaking: 0, sending: +f[3], waiting: +f[2], receiving: +f[4] });
  },
  set timings(value) { ownField(this, 'timings', value); },
  get request() {
    return ownField(this, 'request', { method: this[METHOD], url: this.url, body: this[BODY] });
  },
  set request(value) { ownField(this, 'request', value); },
  toJSON() {
    const out = { status: this.status, status_text: this.status_text, url: this.url, body: this.body, error: this.error, error_code: this.error_code, headers: this.headers, timings: this.timings, request: this.request };
    for (const key of Object.keys(this)) if (!Object.prototype.hasOwnProperty.call(out, key)) out[key] = this[key];
    return out;
  },
  json(selector) {
    const value = JSON.parse(this.body);
    if (selector === undefined) return value;
    return String(selector).split('.').reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), value);
  },
  html(selector) { return htmlOf(this, selector); },
  submitForm(options) { return submitFormOf(this, options, request); },
};
const RESPONSE_V2 = {
  __proto__: RESPONSE_V1,
  json(selector) {
    if (this.body === null || this.body === undefined) throw new Error('cannot parse json due to an empty body');
    return select(parseJson(this.body), selector);
  },
};
// Model 1's responses carry only status and url as own fields; the rest (an invented JSON body,
// the texts and codes, headers) is made on first read the same way.
function failureOf(f) {
  return +f[0] === 0 ? (f[7] === '' ? 1050 : +f[7]) : 0;
}
function errorTextOf(f) {
  const failure = failureOf(f);
  return failure === 0 ? '' : ERROR_TEXT[failure] || 'request failed';
}
function errorCodeOf(f) {
  const failure = failureOf(f);
  return failure !== 0 ? failure : +f[0] >= 400 ? 1000 + +f[0] : 0;
}
const lazy = (key, make) => ({
  get() { return ownField(this, key, make(fieldsOf(this))); },
  set(value) { ownField(this, key, value); },
  enumerable: true,
  configurable: true,
});
const RESPONSE_MODEL1 = Object.create(RESPONSE_V1, {
  status_text: lazy('status_text', (f) => statusText(+f[0])),
  body: lazy('body', (f) => (+f[0] === 0 || f[6] === '1' ? null : '{"endpoint":' + (f[5] ? JSON.stringify(f[5]) : 'null') + ',"status":' + +f[0] + '}')),
  error: lazy('error', errorTextOf),
  error_code: lazy('error_code', errorCodeOf),
  headers: lazy('headers', () => ({ 'Content-Type': 'application/json' })),
});
function makeResponse(answer, method, body) {
  let line = answer;
  let content = null;
  const cut = answer.indexOf('\u0001');
  if (cut >= 0) {
    // Model 2: line \u0001 proto \u0001 headers \u0001 cookies \u0001 body
    line = answer.slice(0, cut);
    const p1 = answer.indexOf('\u0001', cut + 1);
    const p2 = answer.indexOf('\u0001', p1 + 1);
    const p3 = answer.indexOf('\u0001', p2 + 1);
    content = { proto: answer.slice(cut + 1, p1), headers: answer.slice(p1 + 1, p2), cookies: answer.slice(p2 + 1, p3), body: answer.slice(p3 + 1) };
  }
  const cutUrl = line.indexOf('\u0003');
  const url = line.slice(cutUrl + 1);
  const head = line.slice(0, cutUrl);
  const status = +head.slice(0, head.indexOf('|'));
  if (content === null) return { __proto__: RESPONSE_MODEL1, status, url, [LINE]: head, [FIELDS]: undefined, [METHOD]: method, [BODY]: body };
  const f = head.split('|');
  const res = {
    __proto__: RESPONSE_V2,
    status,
    status_text: statusText(status),
    url,
    body: status === 0 || f[6] === '1' ? null : content.body,
    error: errorTextOf(f),
    error_code: errorCodeOf(f),
    headers: parseJson(content.headers),
    [FIELDS]: f,
    [METHOD]: method,
    [BODY]: body,
  };
  res.cookies = parseJson(content.cookies);
  res.proto = content.proto;
  return res;
}
function request(method, url, body, params) {
  if (typeof url !== 'string' && !(url && typeof url.url === 'string')) throw new TypeError('http request needs a URL string');
  const m = String(method).toUpperCase();
  const b = toBody(body);
  // No params and no body (the usual http.get): nothing to encode, and the host reads '' as {}.
  const noParams = params === undefined || params === null;
  const withType = noParams && (body === null || body === undefined) ? undefined : withFormType(body, noParams ? undefined : toParams(params));
  const p = withType === undefined ? '' : JSON.stringify(withType);
  // One string crosses: method, URL, params and body; the buffered checks only when there are some.
  const head = m + '\u0001' + (typeof url === 'string' ? url : url.url) + '\u0001' + p + '\u0001' + b;
  const pending = host.take();
  return makeResponse(pending === '' ? host.request(head) : host.request(head, pending), m, b);
}
function batch(requests) {
  if (!Array.isArray(requests)) {
    if (requests && typeof requests === 'object') {
      const out = {};
      const keys = Object.keys(requests);
      const normalised = keys.map((k) => normalise(requests[k]));
      const lines = host.batch(JSON.stringify(normalised), host.take()).split('\u0002');
      keys.forEach((k, i) => { out[k] = makeResponse(lines[i], normalised[i].method, normalised[i].body); });
      return out;
    }
    throw new TypeError('http.batch expects an array or an object of requests');
  }
  const normalised = requests.map(normalise);
  const lines = host.batch(JSON.stringify(normalised), host.take()).split('\u0002');
  return lines.map((line, i) => makeResponse(line, normalised[i].method, normalised[i].body));
}
function normalise(r) {
  if (typeof r === 'string') return { method: 'GET', url: r, body: '', params: {} };
  if (Array.isArray(r)) return { method: String(r[0]).toUpperCase(), url: r[1], body: toBody(r[2]), params: withFormType(r[2], toParams(r[3])) };
  if (r && typeof r === 'object') return { method: String(r.method || 'GET').toUpperCase(), url: r.url, body: toBody(r.body), params: withFormType(r.body, toParams(r.params)) };
  throw new TypeError('each batch request must be a URL, an array or an object');
}
// The VU's cookie jar (k6 clears it when each iteration starts).
class CookieJar {
  cookiesForURL(url) { return parseJson(host.jarGet(String(url))); }
  set(url, name, value, options) { host.jarSet(String(url), String(name), String(value), JSON.stringify(options || {})); }
  clear(url) { host.jarDelete(String(url), ''); }
  delete(url, name) { host.jarDelete(String(url), String(name)); }
}
const vuJar = new CookieJar();
// http.expectedStatuses(200, { min: 300, max: 399 }) and http.setResponseCallback(): what counts as a failed request.
function expectedStatuses(...specs) {
  const ranges = specs.map((spec) => {
    if (typeof spec === 'number' && Number.isInteger(spec)) return { min: spec, max: spec };
    if (spec && typeof spec === 'object' && Number.isInteger(spec.min) && Number.isInteger(spec.max)) return { min: spec.min, max: spec.max };
    throw new TypeError('expectedStatuses() takes status codes and { min, max } ranges');
  });
  return { __expectedStatuses: ranges };
}
function setResponseCallback(callback) {
  if (callback === null || callback === undefined) { host.setExpected('[]'); return; }
  if (!callback.__expectedStatuses) throw new TypeError('setResponseCallback() takes the result of http.expectedStatuses() or null');
  host.setExpected(JSON.stringify(callback.__expectedStatuses));
}
function cookieJar() {
  if (MODEL < 2) throw new Error('http.cookieJar() is not available in this lab version');
  return vuJar;
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
  cookieJar,
  CookieJar,
  file,
  expectedStatuses,
  setResponseCallback,
};
export const get = http.get, head = http.head, post = http.post, put = http.put, patch = http.patch, del = http.del, options = http.options;
export { request, batch, cookieJar, CookieJar, file, expectedStatuses, setResponseCallback };
export default http;
`;

const K6 = `
const host = globalThis.__k6;
// The buffered line of an untagged check, made once per name (up to 1,000 names).
const CHECK_LINES = new Map();
function checkLine(name, ok) {
  let lines = CHECK_LINES.get(name);
  if (lines === undefined) {
    lines = [name + '\u00010\u0001{}\u0002', name + '\u00011\u0001{}\u0002'];
    if (CHECK_LINES.size < 1000) CHECK_LINES.set(name, lines);
  }
  return lines[ok ? 1 : 0];
}
export function check(value, sets, tags) {
  if (sets === null || typeof sets !== 'object') throw new TypeError('check() needs an object of named conditions');
  let all = true;
  const names = Object.keys(sets);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const condition = sets[name];
    let ok;
    try {
      ok = typeof condition === 'function' ? !!condition(value) : !!condition;
    } catch (e) {
      ok = false;
    }
    // Buffered in the guest and handed over with the next host call that needs them (ADR 017).
    host.pending += tags ? name + '\u0001' + (ok ? 1 : 0) + '\u0001' + JSON.stringify(tags) + '\u0002' : checkLine(name, ok);
    if (!ok) all = false;
  }
  return all;
}
export function sleep(seconds) {
  const s = Number(seconds);
  if (!(s >= 0)) throw new TypeError('sleep() needs a number of seconds >= 0');
  host.sleep(s, host.take());
}
export function group(name, fn) {
  if (typeof fn !== 'function') throw new TypeError('group() needs a function');
  host.groupEnter(String(name), host.take());
  try {
    return fn();
  } finally {
    host.groupLeave(host.take());
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

// Bytes helpers shared by k6/encoding and k6/crypto (QuickJS has no TextEncoder, btoa or atob).
const BYTES = `
function utf8(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) { c = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00); }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}
function fromUtf8(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    let c;
    if (b < 0x80) { c = b; i += 1; }
    else if (b < 0xe0) { c = ((b & 31) << 6) | (bytes[i + 1] & 63); i += 2; }
    else if (b < 0xf0) { c = ((b & 15) << 12) | ((bytes[i + 1] & 63) << 6) | (bytes[i + 2] & 63); i += 3; }
    else { c = ((b & 7) << 18) | ((bytes[i + 1] & 63) << 12) | ((bytes[i + 2] & 63) << 6) | (bytes[i + 3] & 63); i += 4; }
    out += String.fromCodePoint(c);
  }
  return out;
}
function toBytes(input) {
  if (typeof input === 'string') return utf8(input);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (Array.isArray(input)) return new Uint8Array(input);
  throw new TypeError('expected a string or an ArrayBuffer');
}
const HEX = '0123456789abcdef';
function toHex(bytes) { let s = ''; for (const b of bytes) s += HEX[b >> 4] + HEX[b & 15]; return s; }
function fromHex(hex) { const out = new Uint8Array(hex.length / 2); for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16); return out; }
const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function base64(bytes, encoding) {
  const url = encoding === 'url' || encoding === 'rawurl';
  const pad = encoding !== 'rawstd' && encoding !== 'rawurl';
  const abc = url ? URL_SAFE : STD;
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
    out += abc[(n >> 18) & 63] + abc[(n >> 12) & 63];
    out += i + 1 < bytes.length ? abc[(n >> 6) & 63] : pad ? '=' : '';
    out += i + 2 < bytes.length ? abc[n & 63] : pad ? '=' : '';
  }
  return out;
}
function unbase64(text, encoding) {
  const url = encoding === 'url' || encoding === 'rawurl';
  const abc = url ? URL_SAFE : STD;
  const clean = String(text).replace(/=+$/, '');
  const out = [];
  let bits = 0, value = 0;
  for (const ch of clean) {
    const v = abc.indexOf(ch);
    if (v < 0) throw new Error('illegal base64 data at input byte ' + clean.indexOf(ch));
    value = (value << 6) | v; bits += 6;
    if (bits >= 8) { bits -= 8; out.push((value >> bits) & 255); }
  }
  return new Uint8Array(out);
}
`;

const ENCODING = `${BYTES}
const ENCODINGS = ['std', 'rawstd', 'url', 'rawurl'];
function check(encoding) {
  const e = encoding === undefined || encoding === '' ? 'std' : String(encoding);
  if (!ENCODINGS.includes(e)) throw new TypeError('unsupported base64 encoding "' + e + '" (use std, rawstd, url or rawurl)');
  return e;
}
export function b64encode(input, encoding) { return base64(toBytes(input), check(encoding)); }
export function b64decode(input, encoding, format) {
  const bytes = unbase64(input, check(encoding));
  if (format === 's') return fromUtf8(bytes);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}
export default { b64encode, b64decode };
`;

const CRYPTO = `${BYTES}
const host = globalThis.__k6;
function output(hex, encoding) {
  const bytes = fromHex(hex);
  switch (encoding === undefined ? 'hex' : encoding) {
    case 'hex': return hex;
    case 'base64': return base64(bytes, 'std');
    case 'base64url': return base64(bytes, 'url');
    case 'base64rawurl': return base64(bytes, 'rawurl');
    case 'binary': return bytes.buffer;
    default: throw new TypeError('unsupported output encoding "' + encoding + '" (use hex, base64, base64url, base64rawurl or binary)');
  }
}
function digest(algorithm, data, key) { return host.digest(String(algorithm), toHex(toBytes(data)), key === undefined ? '' : toHex(toBytes(key)), key === undefined ? 0 : 1); }
class Hasher {
  constructor(algorithm, key) { this.algorithm = algorithm; this.key = key; this.parts = []; }
  update(data) { this.parts.push(...toBytes(data)); return this; }
  digest(encoding) { return output(digest(this.algorithm, new Uint8Array(this.parts), this.key), encoding); }
}
export function createHash(algorithm) { digest(algorithm, ''); return new Hasher(algorithm); }
export function createHMAC(algorithm, secret) { digest(algorithm, '', ''); return new Hasher(algorithm, secret); }
export function hmac(algorithm, secret, data, encoding) { return output(digest(algorithm, data, secret), encoding); }
export function randomBytes(size) {
  const n = Number(size);
  if (!(n >= 0 && Number.isInteger(n))) throw new TypeError('randomBytes needs a whole number of bytes');
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256);
  return out.buffer;
}
const hash = (algorithm) => (data, encoding) => output(digest(algorithm, data), encoding);
export const md5 = hash('md5'), sha1 = hash('sha1'), sha256 = hash('sha256'), sha384 = hash('sha384'), sha512 = hash('sha512'), sha512_224 = hash('sha512_224'), sha512_256 = hash('sha512_256');
export function md4() { throw new Error('k6/crypto md4 is not supported in the lab runtime (use sha256)'); }
export function ripemd160() { throw new Error('k6/crypto ripemd160 is not supported in the lab runtime (use sha256)'); }
export default { createHash, createHMAC, hmac, randomBytes, md4, md5, ripemd160, sha1, sha256, sha384, sha512, sha512_224, sha512_256 };
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
    host.abort(message === undefined ? '' : String(message), host.take());
    throw new Error('test aborted');
  },
};
export { vu, scenario, instance, test };
export default { vu, scenario, instance, test };
`;

// k6/data: a SharedArray is built once (by the first VU that runs its init code) and handed to
// the other VUs as a copy, read-only as in k6.
const DATA = `
const host = globalThis.__k6;
function freeze(value) {
  if (value !== null && typeof value === 'object') { Object.freeze(value); for (const k of Object.keys(value)) freeze(value[k]); }
  return value;
}
export class SharedArray {
  constructor(name, fn) {
    if (typeof name !== 'string' || name === '') throw new TypeError('SharedArray needs a non-empty name');
    if (typeof fn !== 'function') throw new TypeError('SharedArray needs a function that returns an array');
    let json = host.sharedGet(name);
    if (json === '') {
      const value = fn();
      if (!Array.isArray(value)) throw new TypeError('the SharedArray function must return an array');
      json = JSON.stringify(value);
      host.sharedSet(name, json);
    }
    return freeze(JSON.parse(json));
  }
}
export default { SharedArray };
`;

// jslib.k6.io/k6-summary: textSummary is the runtime's own rendering (labs/runtime/k6/summary.ts).
const JSLIB_SUMMARY = `
const host = globalThis.__k6;
export function textSummary(data, options) { return host.textSummary(JSON.stringify(data), JSON.stringify(options || {})); }
export function jUnit() { throw new Error('jUnit() from k6-summary is not supported in the lab runtime; use textSummary()'); }
export function humanizeValue(value) { return String(value); }
export default { textSummary, jUnit, humanizeValue };
`;

// jslib.k6.io/k6-utils: the helpers training scripts use; randomness comes from the VU's seeded Math.random.
const JSLIB_UTILS = `
export function randomIntBetween(min, max) { return Math.floor(Math.random() * (max - min + 1) + min); }
export function randomItem(items) { return items[Math.floor(Math.random() * items.length)]; }
export function randomString(length, charset) {
  const chars = charset === undefined ? 'abcdefghijklmnopqrstuvwxyz' : String(charset);
  let out = '';
  for (let i = 0; i < length; i++) out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}
export function uuidv4() {
  const hex = '0123456789abcdef';
  let s = '';
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) s += '-';
    else if (i === 14) s += '4';
    else if (i === 19) s += hex[8 + Math.floor(Math.random() * 4)];
    else s += hex[Math.floor(Math.random() * 16)];
  }
  return s;
}
export function findBetween(content, left, right, repeat) {
  const found = [];
  let from = 0;
  for (;;) {
    const start = content.indexOf(left, from);
    if (start < 0) break;
    const end = content.indexOf(right, start + left.length);
    if (end < 0) break;
    found.push(content.slice(start + left.length, end));
    if (!repeat) break;
    from = end + right.length;
  }
  return repeat ? found : found.length > 0 ? found[0] : null;
}
export default { randomIntBetween, randomItem, randomString, uuidv4, findBetween };
`;

const JSLIB = /^https:\/\/jslib\.k6\.io\/(k6-summary|k6-utils)\/\d+\.\d+\.\d+\/index\.js$/;

/** The jslib modules the runtime serves itself under their jslib.k6.io URLs (there is no network). */
export function resolveJslib(name: string): string | undefined {
  const match = JSLIB.exec(name);
  if (match === null) return undefined;
  return match[1] === 'k6-summary' ? JSLIB_SUMMARY : JSLIB_UTILS;
}

/** Runs in every context before the script: deterministic clock and randomness, console capture. */
export const PRELUDE = `
(() => {
  const host = globalThis.__k6;
  // Checks wait here until the next host call (request, sleep, group, end of iteration) takes them.
  host.pending = '';
  host.take = () => { const p = host.pending; host.pending = ''; return p; };
  host.run = (fn, data) => {
    fn(data);
    return host.take();
  };
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
  // k6's open(): a file the lab (or the command line, next to the script) provides, in the init context only.
  globalThis.open = (path, mode) => {
    const text = host.open(String(path), mode === 'b' ? 'b' : '');
    if (mode !== 'b') return text;
    const bytes = new Uint8Array(text.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.substr(i * 2, 2), 16);
    return bytes.buffer;
  };
})();
`;

export const K6_MODULES: Record<string, string> = {
  k6: K6,
  'k6/http': HTTP,
  'k6/metrics': METRICS,
  'k6/execution': EXECUTION,
  'k6/encoding': ENCODING,
  'k6/crypto': CRYPTO,
  'k6/data': DATA,
};
