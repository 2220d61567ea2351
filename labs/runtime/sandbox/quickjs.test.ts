// The synchronous host-call path (useSyncHostCalls) must behave exactly like the library's own:
// the same script runs in a context with each path and must give the same results, errors and
// handle accounting (the runtime refuses to dispose while a handle leaks).

import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import { describe, expect, it } from 'vitest';
import { createSandbox, DEFAULT_LIMITS, stringCall, useSyncHostCalls } from './quickjs.ts';

const SCRIPT = `
const out = [];
out.push(host.add(2, 3));
out.push(host.echo('héllo \\u0001 wörld'));
out.push(host.nothing() === undefined);
out.push(host.self.call({ tag: 'this value' }));
try { host.fails('boom'); } catch (e) { out.push(e instanceof Error, e.name, e.message); }
try { host.refuses(); } catch (e) { out.push(e.name, e.message); }
out.push(JSON.stringify(host.object()));
let total = 0;
for (let i = 0; i < 1000; i++) total += host.add(i, 1);
out.push(total);
if (host.plain) out.push(host.plain('ünï') + host.plain('x'.repeat(10000)).length);
JSON.stringify(out);
`;

function install(context: QuickJSContext): void {
  const host = context.newObject();
  const define = (name: string, fn: Parameters<QuickJSContext['newFunction']>[1]) => {
    const handle = context.newFunction(name, fn);
    context.setProp(host, name, handle);
    handle.dispose();
  };
  define('add', (a, b) => context.newNumber(context.getNumber(a) + context.getNumber(b)));
  define('echo', (text) => context.newString(`${context.getString(text)}!`));
  define('nothing', () => undefined);
  define('self', function (this: unknown) {
    const self = this as Parameters<QuickJSContext['getProp']>[0];
    return context.getProp(self, 'tag');
  });
  define('fails', (message) => {
    throw new TypeError(context.getString(message));
  });
  define('refuses', () => ({ error: context.newError({ name: 'Interrupted', message: 'paused here' }) }));
  define('object', () => {
    const object = context.newObject();
    const value = context.newString('v');
    context.setProp(object, 'k', value);
    value.dispose();
    return { value: object };
  });
  context.setProp(context.global, 'host', host);
  host.dispose();
}

async function run(sync: boolean): Promise<unknown> {
  const sandbox = await createSandbox(DEFAULT_LIMITS, {});
  const context = sandbox.runtime.newContext();
  if (sync) useSyncHostCalls(context);
  install(context);
  if (sync) {
    // Only the synchronous path lets a host function answer a plain string.
    const host = context.getProp(context.global, 'host');
    const plain = context.newFunction(
      'plain',
      ((text: QuickJSHandle) => `${context.getString(text)}!`) as unknown as Parameters<QuickJSContext['newFunction']>[1],
    );
    context.setProp(host, 'plain', plain);
    plain.dispose();
    host.dispose();
  }
  const result = context.evalCode(SCRIPT, 'script.js', { type: 'global' });
  if (result.error) {
    const error = context.dump(result.error);
    result.error.dispose();
    throw new Error(JSON.stringify(error));
  }
  const value = JSON.parse(context.getString(result.value)) as unknown;
  result.value.dispose();
  context.dispose();
  // Throws if a handle is still alive: both paths must release everything they made.
  sandbox.dispose();
  return value;
}

describe('useSyncHostCalls', () => {
  it('gives the same results, errors and this as the library’s own call path', async () => {
    const library = await run(false);
    const sync = (await run(true)) as unknown[];
    expect(sync.slice(0, -1)).toEqual(library);
    expect(sync.at(-1)).toBe('ünï!10001');
    expect(library).toEqual([
      5,
      'héllo \u0001 wörld!',
      true,
      'this value',
      true,
      'TypeError',
      'boom',
      'Interrupted',
      'paused here',
      '{"k":"v"}',
      500_500,
    ]);
  });
});

describe('stringCall', () => {
  it('calls a guest function with the same arguments each time and reads its string or its error', async () => {
    const sandbox = await createSandbox(DEFAULT_LIMITS, {});
    const context = sandbox.runtime.newContext();
    const made = context.evalCode(
      `let calls = 0;
       globalThis.f = (a, b) => { calls += 1; if (b.fail) throw new RangeError('no ' + a); return a + ':' + b.n + ':' + calls; };
       globalThis.g = () => 42;`,
      'setup.js',
      { type: 'global' },
    );
    if (made.error) throw new Error('setup failed');
    made.value.dispose();
    const f = context.getProp(context.global, 'f');
    const g = context.getProp(context.global, 'g');
    const text = context.newString('x');
    const ok = context.evalCode('({ n: 7 })', 'ok.js', { type: 'global' }).unwrap();
    const failing = context.evalCode('({ fail: true })', 'fail.js', { type: 'global' }).unwrap();

    const good = stringCall(context, f, [text, ok]);
    expect(good.call()).toEqual({ value: 'x:7:1' });
    expect(good.call()).toEqual({ value: 'x:7:2' });
    const bad = stringCall(context, f, [text, failing]);
    const thrown = bad.call();
    expect(thrown.value).toBeUndefined();
    expect(thrown.error && context.dump(thrown.error)).toMatchObject({ name: 'RangeError', message: 'no x' });
    thrown.error?.dispose();
    const number = stringCall(context, g, []);
    expect(number.call()).toEqual({ value: '42' });

    for (const call of [good, bad, number]) call.dispose();
    for (const handle of [f, g, text, ok, failing]) handle.dispose();
    context.dispose();
    // Throws if a value leaked.
    sandbox.dispose();
  });
});
