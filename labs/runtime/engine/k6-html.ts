// res.html() inside the sandbox: a small, forgiving HTML parser and the part of k6's Selection
// API (a jQuery-like subset) that scripts use — find, attr, text, html, val, each, first, last,
// eq, size, children, parent, closest, filter, is, map, get, toArray, serialize — with CSS
// selectors (type, #id, .class, [attr op value], :first-child, :last-child, :nth-child(n),
// :checked, and the descendant, >, + and ~ combinators). Our own implementation.

export const HTML_SOURCE = String.raw`
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const RAW = new Set(['script', 'style', 'textarea', 'title']);
const SELF_CLOSING_SIBLINGS = { p: ['p'], li: ['li'], option: ['option'], tr: ['tr'], td: ['td', 'th'], th: ['td', 'th'], dt: ['dt', 'dd'], dd: ['dt', 'dd'] };
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '\u00a9', mdash: '\u2014', ndash: '\u2013', hellip: '\u2026' };
function decode(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    const named = ENTITIES[e.toLowerCase()];
    return named === undefined ? m : named;
  });
}
function node(tag, attrs, parent) { return { type: 'el', tag, attrs, children: [], parent }; }
function parseAttrs(text) {
  const attrs = {};
  const re = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;
  let m;
  while ((m = re.exec(text))) {
    const name = m[1].toLowerCase();
    if (!(name in attrs)) attrs[name] = decode(m[2] !== undefined ? m[2] : m[3] !== undefined ? m[3] : m[4] !== undefined ? m[4] : '');
  }
  return attrs;
}
function parseHTML(html) {
  const root = node('#document', {}, null);
  let current = root;
  let i = 0;
  const text = (t) => { if (t !== '') current.children.push({ type: 'text', text: decode(t), parent: current }); };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) { text(html.slice(i)); break; }
    text(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) { const end = html.indexOf('-->', lt + 4); i = end < 0 ? html.length : end + 3; continue; }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') { const end = html.indexOf('>', lt); i = end < 0 ? html.length : end + 1; continue; }
    const close = html[lt + 1] === '/';
    const m = /^<\/?([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/.exec(html.slice(lt));
    if (!m) { text('<'); i = lt + 1; continue; }
    const tag = m[1].toLowerCase();
    i = lt + m[0].length;
    if (close) {
      let open = current;
      while (open && open.tag !== tag) open = open.parent;
      if (open && open !== root) current = open.parent;
      continue;
    }
    const siblings = SELF_CLOSING_SIBLINGS[tag];
    if (siblings && siblings.includes(current.tag)) current = current.parent;
    const el = node(tag, parseAttrs(m[2].replace(/\/$/, '')), current);
    current.children.push(el);
    if (VOID.has(tag) || m[2].endsWith('/')) continue;
    if (RAW.has(tag)) {
      const end = html.toLowerCase().indexOf('</' + tag, i);
      const body = html.slice(i, end < 0 ? html.length : end);
      if (body !== '') el.children.push({ type: 'text', text: tag === 'textarea' || tag === 'title' ? decode(body) : body, parent: el });
      i = end < 0 ? html.length : html.indexOf('>', end) + 1;
      continue;
    }
    current = el;
  }
  return root;
}
function elements(n) { return n.children.filter((c) => c.type === 'el'); }
function textOf(n) { return n.type === 'text' ? n.text : n.children.map(textOf).join(''); }
function serializeNode(n) {
  if (n.type === 'text') return n.text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const attrs = Object.keys(n.attrs).map((k) => ' ' + k + '="' + n.attrs[k].replace(/"/g, '&quot;') + '"').join('');
  if (VOID.has(n.tag)) return '<' + n.tag + attrs + '>';
  return '<' + n.tag + attrs + '>' + n.children.map(serializeNode).join('') + '</' + n.tag + '>';
}
// Selectors: a list of complex selectors, each compound selectors joined by combinators.
function parseSelector(text) {
  const list = [];
  for (const part of splitTop(text, ',')) {
    const steps = [];
    let combinator = ' ';
    let buffer = '';
    let depth = 0;
    const flush = () => {
      if (buffer === '') return;
      steps.push({ combinator, compound: parseCompound(buffer) });
      combinator = ' ';
      buffer = '';
    };
    for (const c of part.trim()) {
      if (c === '[' || c === '(') depth++;
      if (c === ']' || c === ')') depth--;
      if (depth === 0 && (c === '>' || c === '+' || c === '~')) { flush(); combinator = c; continue; }
      if (depth === 0 && /\s/.test(c)) { flush(); continue; }
      buffer += c;
    }
    flush();
    if (steps.length === 0) throw new Error('invalid selector "' + text + '"');
    list.push(steps);
  }
  return list;
}
function splitTop(text, sep) {
  const out = []; let depth = 0; let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === sep && depth === 0) { out.push(text.slice(start, i)); start = i + 1; }
  }
  out.push(text.slice(start));
  return out;
}
function parseCompound(text) {
  const tests = [];
  const re = /^(\*|[a-zA-Z][a-zA-Z0-9-]*)|#([\w-]+)|\.([\w-]+)|\[\s*([\w-]+)\s*(?:([~^$*|]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]*)))?\s*\]|:([\w-]+)(?:\(([^)]*)\))?/g;
  let m; let consumed = 0;
  while ((m = re.exec(text)) && m.index === consumed) {
    consumed += m[0].length;
    if (m[1]) { if (m[1] !== '*') { const tag = m[1].toLowerCase(); tests.push((n) => n.tag === tag); } }
    else if (m[2]) { const id = m[2]; tests.push((n) => n.attrs.id === id); }
    else if (m[3]) { const cls = m[3]; tests.push((n) => (n.attrs.class || '').split(/\s+/).includes(cls)); }
    else if (m[4]) {
      const name = m[4].toLowerCase(); const op = m[5]; const v = m[6] !== undefined ? m[6] : m[7] !== undefined ? m[7] : m[8];
      tests.push((n) => {
        const a = n.attrs[name];
        if (a === undefined) return false;
        switch (op) {
          case undefined: return true;
          case '=': return a === v;
          case '~=': return a.split(/\s+/).includes(v);
          case '^=': return v !== '' && a.startsWith(v);
          case '$=': return v !== '' && a.endsWith(v);
          case '*=': return v !== '' && a.includes(v);
          case '|=': return a === v || a.startsWith(v + '-');
        }
        return false;
      });
    } else if (m[9]) {
      const pseudo = m[9]; const arg = m[10];
      const index = (n) => (n.parent ? elements(n.parent).indexOf(n) : 0);
      if (pseudo === 'first-child') tests.push((n) => index(n) === 0);
      else if (pseudo === 'last-child') tests.push((n) => n.parent && index(n) === elements(n.parent).length - 1);
      else if (pseudo === 'nth-child') { const k = Number(arg); tests.push((n) => index(n) + 1 === k); }
      else if (pseudo === 'checked') tests.push((n) => 'checked' in n.attrs || 'selected' in n.attrs);
      else if (pseudo === 'not') { const inner = parseSelector(arg); tests.push((n) => !matchesAny(n, inner)); }
      else throw new Error('the selector :' + pseudo + ' is not supported in the lab runtime');
    }
  }
  if (consumed !== text.length) throw new Error('invalid selector "' + text + '"');
  return (n) => n.type === 'el' && n.tag !== '#document' && tests.every((t) => t(n));
}
function matchesSteps(n, steps, k) {
  if (!steps[k].compound(n)) return false;
  if (k === 0) return true;
  const combinator = steps[k].combinator;
  if (combinator === '>') return !!n.parent && matchesSteps(n.parent, steps, k - 1);
  if (combinator === ' ') { for (let p = n.parent; p; p = p.parent) if (matchesSteps(p, steps, k - 1)) return true; return false; }
  const sibs = n.parent ? elements(n.parent) : [];
  const at = sibs.indexOf(n);
  if (combinator === '+') return at > 0 && matchesSteps(sibs[at - 1], steps, k - 1);
  for (let j = at - 1; j >= 0; j--) if (matchesSteps(sibs[j], steps, k - 1)) return true;
  return false;
}
function matchesAny(n, list) { return list.some((steps) => matchesSteps(n, steps, steps.length - 1)); }
function descendants(n, out) { for (const c of elements(n)) { out.push(c); descendants(c, out); } return out; }
function unique(nodes) { return nodes.filter((n, i) => nodes.indexOf(n) === i); }
function fieldValue(n) {
  if (n.tag === 'select') {
    const options = descendants(n, []).filter((o) => o.tag === 'option');
    const chosen = options.find((o) => 'selected' in o.attrs) || options[0];
    return chosen ? (chosen.attrs.value !== undefined ? chosen.attrs.value : textOf(chosen)) : undefined;
  }
  if (n.tag === 'textarea') return textOf(n);
  if (n.tag === 'input' && (n.attrs.type === 'checkbox' || n.attrs.type === 'radio')) return n.attrs.value !== undefined ? n.attrs.value : 'on';
  return n.attrs.value !== undefined ? n.attrs.value : n.tag === 'input' ? '' : undefined;
}
class Element {
  constructor(n) { this.node = n; }
  nodeName() { return this.node.tag; }
  id() { return this.node.attrs.id || ''; }
  getAttribute(name) { const v = this.node.attrs[String(name).toLowerCase()]; return v === undefined ? undefined : v; }
  hasAttribute(name) { return String(name).toLowerCase() in this.node.attrs; }
  attributes() { const out = {}; for (const k of Object.keys(this.node.attrs)) out[k] = { name: k, value: this.node.attrs[k] }; return out; }
  textContent() { return textOf(this.node); }
  innerHTML() { return this.node.children.map(serializeNode).join(''); }
  children() { return elements(this.node).map((c) => new Element(c)); }
  value() { return fieldValue(this.node); }
}
class Selection {
  constructor(nodes, url) { this.nodes = nodes; this.url = url; }
  wrap(nodes) { return new Selection(unique(nodes), this.url); }
  find(selector) { const list = parseSelector(String(selector)); return this.wrap(this.nodes.flatMap((n) => descendants(n, []).filter((d) => matchesAny(d, list)))); }
  filter(selector) { if (typeof selector === 'function') return this.wrap(this.nodes.filter((n, i) => selector(i, new Selection([n], this.url)))); const list = parseSelector(String(selector)); return this.wrap(this.nodes.filter((n) => matchesAny(n, list))); }
  is(selector) { return this.filter(selector).size() > 0; }
  has(selector) { return this.wrap(this.nodes.filter((n) => new Selection([n], this.url).find(selector).size() > 0)); }
  children(selector) { const kids = this.wrap(this.nodes.flatMap(elements)); return selector === undefined ? kids : kids.filter(selector); }
  parent() { return this.wrap(this.nodes.map((n) => n.parent).filter((p) => p && p.tag !== '#document')); }
  parents() { const out = []; for (const n of this.nodes) for (let p = n.parent; p && p.tag !== '#document'; p = p.parent) out.push(p); return this.wrap(out); }
  closest(selector) { const list = parseSelector(String(selector)); return this.wrap(this.nodes.map((n) => { for (let p = n; p && p.tag !== '#document'; p = p.parent) if (matchesAny(p, list)) return p; return null; }).filter(Boolean)); }
  next() { return this.wrap(this.nodes.map((n) => { const s = n.parent ? elements(n.parent) : []; return s[s.indexOf(n) + 1]; }).filter(Boolean)); }
  prev() { return this.wrap(this.nodes.map((n) => { const s = n.parent ? elements(n.parent) : []; return s[s.indexOf(n) - 1]; }).filter(Boolean)); }
  first() { return this.wrap(this.nodes.slice(0, 1)); }
  last() { return this.wrap(this.nodes.slice(-1)); }
  eq(i) { const k = i < 0 ? this.nodes.length + i : i; return this.wrap(this.nodes[k] ? [this.nodes[k]] : []); }
  slice(start, end) { return this.wrap(this.nodes.slice(start, end)); }
  size() { return this.nodes.length; }
  get length() { return this.nodes.length; }
  get(i) { if (i === undefined) return this.nodes.map((n) => new Element(n)); const n = this.nodes[i < 0 ? this.nodes.length + i : i]; return n ? new Element(n) : undefined; }
  toArray() { return this.nodes.map((n) => new Selection([n], this.url)); }
  each(fn) { this.nodes.forEach((n, i) => fn(i, new Element(n))); return this; }
  map(fn) { return this.nodes.map((n, i) => fn(i, new Selection([n], this.url))); }
  attr(name, fallback) { const n = this.nodes[0]; const v = n ? n.attrs[String(name).toLowerCase()] : undefined; return v === undefined ? fallback : v; }
  text() { return this.nodes.map(textOf).join(''); }
  html() { const n = this.nodes[0]; return n ? n.children.map(serializeNode).join('') : undefined; }
  val() { const n = this.nodes[0]; return n ? fieldValue(n) : undefined; }
  hasClass(name) { return this.nodes.some((n) => (n.attrs.class || '').split(/\s+/).includes(name)); }
  data(key) { const n = this.nodes[0]; if (!n) return undefined; if (key !== undefined) return n.attrs['data-' + key]; const out = {}; for (const k of Object.keys(n.attrs)) if (k.startsWith('data-')) out[k.slice(5)] = n.attrs[k]; return out; }
  serializeArray() {
    const out = [];
    for (const form of this.nodes) for (const n of descendants(form, [])) {
      const name = n.attrs.name;
      if (!name || !['input', 'select', 'textarea'].includes(n.tag) || 'disabled' in n.attrs) continue;
      const type = (n.attrs.type || '').toLowerCase();
      if (['submit', 'button', 'image', 'reset', 'file'].includes(type)) continue;
      if ((type === 'checkbox' || type === 'radio') && !('checked' in n.attrs)) continue;
      out.push({ name, value: fieldValue(n) });
    }
    return out;
  }
  serializeObject() { const out = {}; for (const f of this.serializeArray()) out[f.name] = f.value; return out; }
  serialize() { return this.serializeArray().map((f) => encodeURIComponent(f.name) + '=' + encodeURIComponent(f.value)).join('&').replace(/%20/g, '+'); }
}
function htmlOf(res, selector) {
  if (res.body === null || res.body === undefined) throw new Error('res.html(): the response has no body');
  const doc = new Selection([parseHTML(String(res.body))], res.url);
  return selector === undefined ? doc : doc.find(selector);
}
function resolveAction(base, action) {
  if (!action) return base;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(action)) return action;
  const origin = base.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#]*).*$/i, '$1');
  if (action[0] === '/') return origin + action;
  const path = base.slice(origin.length).replace(/[?#].*$/, '');
  return origin + path.slice(0, path.lastIndexOf('/') + 1) + action;
}
function submitFormOf(res, options, send) {
  const o = options || {};
  const form = htmlOf(res, o.formSelector || 'form').first();
  if (form.size() === 0) throw new Error('res.submitForm(): no form matches "' + (o.formSelector || 'form') + '"');
  const fields = form.serializeObject();
  const submit = o.submitSelector ? form.find(o.submitSelector).first() : form.find('[type="submit"], button').first();
  if (submit.size() > 0 && submit.attr('name')) fields[submit.attr('name')] = submit.attr('value', '');
  Object.assign(fields, o.fields || {});
  const method = String(form.attr('method', 'GET')).toUpperCase();
  const url = resolveAction(res.url, form.attr('action'));
  if (method === 'GET') {
    const query = Object.keys(fields).map((k) => encodeURIComponent(k) + '=' + encodeURIComponent(fields[k])).join('&');
    return send('GET', url + (query ? (url.includes('?') ? '&' : '?') + query : ''), null, o.params);
  }
  return send(method, url, fields, o.params);
}
`;
