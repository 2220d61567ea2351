// The sandbox for learner code: QuickJS compiled to WebAssembly (ADR 009). One runtime per run,
// with a memory limit, a stack limit and a wall-clock deadline enforced by QuickJS's interrupt
// handler. The context has no host globals: no fetch, process, require or real timers; the only
// way out is the host functions the engine installs. Isomorphic: the same code runs in a browser
// Web Worker, in Node worker_threads and in tests.
import variant from '@jitl/quickjs-wasmfile-release-sync';
import {
  Lifetime,
  newQuickJSWASMModuleFromVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
  WeakLifetime,
} from 'quickjs-emscripten-core';

export interface SandboxLimits {
  /** Heap limit for all the run's contexts together. */
  memoryBytes: number;
  /** JS stack limit (deep recursion is stopped with a RangeError-like error). */
  stackBytes: number;
  /** Wall-clock budget for the whole run, in ms. */
  deadlineMs: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { memoryBytes: 128 * 1024 * 1024, stackBytes: 512 * 1024, deadlineMs: 30_000 };

let modulePromise: Promise<QuickJSWASMModule> | undefined;

export function loadQuickJS(): Promise<QuickJSWASMModule> {
  modulePromise ??= newQuickJSWASMModuleFromVariant(variant);
  return modulePromise;
}

export class SandboxError extends Error {
  override name = 'SandboxError';
}

export interface Sandbox {
  runtime: QuickJSRuntime;
  /** True once the deadline passed; QuickJS then raises "interrupted" in running code. */
  deadlineExceeded(): boolean;
  dispose(): void;
}

/**
 * `modules` by exact name; `resolve` may serve more (the jslib URLs) and is asked only for names
 * that are not in `modules`.
 */
export async function createSandbox(
  limits: SandboxLimits,
  modules: Record<string, string>,
  resolve?: (name: string) => string | undefined,
): Promise<Sandbox> {
  const quickjs = await loadQuickJS();
  const runtime = quickjs.newRuntime();
  runtime.setMemoryLimit(limits.memoryBytes);
  runtime.setMaxStackSize(limits.stackBytes);
  const deadline = performance.now() + limits.deadlineMs;
  let exceeded = false;
  runtime.setInterruptHandler(() => {
    if (performance.now() > deadline) exceeded = true;
    return exceeded;
  });
  runtime.setModuleLoader((name) => {
    const source = modules[name] ?? resolve?.(name);
    if (source === undefined)
      return { error: new Error(`module "${name}" is not available in the lab (supported: ${Object.keys(modules).sort().join(', ')})`) };
    return source;
  });
  return {
    runtime,
    deadlineExceeded: () => exceeded,
    dispose: () => runtime.dispose(),
  };
}

/** The parts of a QuickJSContext that its C-to-host call path uses (quickjs-emscripten-core 0.32). */
interface ContextInternals {
  cToHostCallbacks: { callFunction: (ctx: number, thisPtr: number, argc: number, argv: number, fnId: number) => number };
  ctx: { value: number };
  runtime: QuickJSRuntime;
  ffi: {
    QTS_ArgvGetJSValueConstPointer(argv: number, index: number): number;
    QTS_DupValuePointer(ctx: number, value: number): number;
    QTS_Throw(ctx: number, error: number): number;
    QTS_Call(ctx: number, fn: number, thisValue: number, argc: number, argv: number): number;
    QTS_ResolveException(ctx: number, value: number): number;
    QTS_FreeValuePointer(ctx: number, value: number): void;
    QTS_GetString(ctx: number, value: number): number;
    QTS_NewString(ctx: number, text: number): number;
  };
  memory: {
    copyJSValue: (value: number) => number;
    freeJSValue: (value: number) => void;
    heapValueHandle(ptr: number): QuickJSHandle;
    consumeJSCharPointer(ptr: number): string;
    module: {
      _malloc(bytes: number): number;
      _free(ptr: number): void;
      HEAPU8: Uint8Array;
      lengthBytesUTF8(text: string): number;
      stringToUTF8(text: string, ptr: number, maxBytes: number): void;
    };
  };
  getFunction(fnId: number): (this: QuickJSHandle, ...args: QuickJSHandle[]) => unknown;
  errorToHandle(error: unknown): QuickJSHandle;
}

/**
 * Replaces the context's call path from guest code into host functions with a synchronous one.
 * The library's path runs every call through a generator and a scope so that a host function may
 * return a promise (its asyncify build); this sandbox uses the synchronous build, where that
 * machinery cost more than half of each host call. Handles, results and thrown errors are treated
 * exactly as the library treats them: arguments and `this` are borrowed (weak) handles valid for
 * the call, a returned handle is duplicated into the guest and disposed, a thrown error or an
 * `{ error }` result is thrown in the guest. A host function may also return a plain string,
 * which becomes a guest string without a handle. Checked against the library's own path in
 * quickjs.test.ts; if a library upgrade changes these internals, that test fails.
 */
export function useSyncHostCalls(context: QuickJSContext): void {
  const internals = context as unknown as ContextInternals;
  const { ffi, memory, runtime } = internals;
  const ctx = internals.ctx.value;
  if (typeof internals.cToHostCallbacks?.callFunction !== 'function' || typeof internals.getFunction !== 'function')
    throw new SandboxError('this version of quickjs-emscripten-core has no C-to-host call path to replace');
  internals.cToHostCallbacks.callFunction = (callCtx, thisPtr, argc, argv, fnId) => {
    if (callCtx !== ctx) throw new Error('QuickJSContext instance received C -> JS call with mismatched ctx');
    const fn = internals.getFunction(fnId);
    const thisHandle = new WeakLifetime(thisPtr, memory.copyJSValue, memory.freeJSValue, runtime) as unknown as QuickJSHandle;
    const args = new Array<QuickJSHandle>(argc);
    for (let i = 0; i < argc; i += 1)
      args[i] = new WeakLifetime(
        ffi.QTS_ArgvGetJSValueConstPointer(argv, i),
        memory.copyJSValue,
        memory.freeJSValue,
        runtime,
      ) as unknown as QuickJSHandle;
    try {
      const result = fn.apply(thisHandle, args) as QuickJSHandle | { value?: QuickJSHandle; error?: QuickJSHandle } | string | undefined;
      // A plain string (this sandbox's extension): made in the guest without a handle of its own.
      if (typeof result === 'string') return newGuestString(ffi, memory.module, ctx, result);
      if (!result) return 0;
      if ('error' in result && result.error) throw result.error;
      const handle = (result instanceof Lifetime ? result : (result as { value: QuickJSHandle }).value) as QuickJSHandle;
      try {
        return ffi.QTS_DupValuePointer(ctx, handle.value as unknown as number);
      } finally {
        if (handle.alive) handle.dispose();
      }
    } catch (error) {
      const errorHandle = internals.errorToHandle(error);
      try {
        return ffi.QTS_Throw(ctx, errorHandle.value as unknown as number);
      } finally {
        if (errorHandle.alive) errorHandle.dispose();
      }
    } finally {
      (thisHandle as unknown as WeakLifetime<number>).dispose();
      for (const arg of args) (arg as unknown as WeakLifetime<number>).dispose();
    }
  };
}

/** Per WebAssembly module, one UTF-8 buffer for strings on their way into the guest, grown as needed. */
const scratches = new WeakMap<object, { ptr: number; bytes: number }>();

/** A new guest string (a JSValue pointer the caller owns), copied through the shared buffer. */
function newGuestString(ffi: ContextInternals['ffi'], module: ContextInternals['memory']['module'], ctx: number, text: string): number {
  const bytes = module.lengthBytesUTF8(text) + 1;
  let scratch = scratches.get(module);
  if (scratch === undefined || bytes > scratch.bytes) {
    if (scratch !== undefined) module._free(scratch.ptr);
    const size = Math.max(bytes, 2 * (scratch?.bytes ?? 0), 4096);
    scratch = { ptr: module._malloc(size), bytes: size };
    scratches.set(module, scratch);
  }
  module.stringToUTF8(text, scratch.ptr, bytes);
  return ffi.QTS_NewString(ctx, scratch.ptr);
}

/** What a StringCall gives: the string the function returned, or the handle of what it threw. */
export type StringCallResult = { value: string; error?: undefined } | { value?: undefined; error: QuickJSHandle };

export interface StringCall {
  /** `fn(...args)` with `this` undefined; a result that is not a string is converted with String(). */
  call(): StringCallResult;
  dispose(): void;
}

/**
 * A call of one guest function with the same arguments every time, for the engine's once-per-
 * iteration call: the argument array is allocated once instead of on every call, and the result is
 * read as a string without a handle of its own. `fn` and `args` must outlive the StringCall.
 */
export function stringCall(context: QuickJSContext, fn: QuickJSHandle, args: QuickJSHandle[]): StringCall {
  const internals = context as unknown as ContextInternals;
  const { ffi, memory } = internals;
  const ctx = internals.ctx.value;
  const { module } = memory;
  const argv = module._malloc(Math.max(4, 4 * args.length));
  new Int32Array(module.HEAPU8.buffer, argv, args.length).set(args.map((arg) => arg.value as unknown as number));
  const undefinedValue = context.undefined.value as unknown as number;
  return {
    call() {
      const result = ffi.QTS_Call(ctx, fn.value as unknown as number, undefinedValue, args.length, argv);
      const error = ffi.QTS_ResolveException(ctx, result);
      if (error) {
        ffi.QTS_FreeValuePointer(ctx, result);
        return { error: memory.heapValueHandle(error) };
      }
      const value = memory.consumeJSCharPointer(ffi.QTS_GetString(ctx, result));
      ffi.QTS_FreeValuePointer(ctx, result);
      return { value };
    },
    dispose() {
      module._free(argv);
    },
  };
}

/** Converts a JSON-compatible host value into a QuickJS handle (caller disposes it). */
export function toHandle(context: QuickJSContext, value: unknown): QuickJSHandle {
  if (value === undefined) return context.undefined;
  if (value === null) return context.null;
  if (typeof value === 'number') return context.newNumber(value);
  if (typeof value === 'string') return context.newString(value);
  if (typeof value === 'boolean') return value ? context.true : context.false;
  if (Array.isArray(value)) {
    const array = context.newArray();
    value.forEach((item, index) => {
      const handle = toHandle(context, item);
      context.setProp(array, index, handle);
      handle.dispose();
    });
    return array;
  }
  const object = context.newObject();
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const handle = toHandle(context, item);
    context.setProp(object, key, handle);
    handle.dispose();
  }
  return object;
}

export interface ScriptErrorInfo {
  name: string;
  message: string;
  line: number | null;
  column: number | null;
  stack: string;
}

/** Reads a QuickJS exception: name, message and the script line and column it came from. */
export function describeError(context: QuickJSContext, handle: QuickJSHandle, fileName: string): ScriptErrorInfo {
  const dumped = context.dump(handle) as { name?: string; message?: string; stack?: string } | string;
  const error = typeof dumped === 'object' && dumped !== null ? dumped : { name: 'Error', message: String(dumped) };
  const stack = error.stack ?? '';
  const at = new RegExp(`${fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`).exec(stack);
  return {
    name: error.name ?? 'Error',
    message: error.message ?? String(dumped),
    line: at ? Number(at[1]) : null,
    column: at ? Number(at[2]) : null,
    stack,
  };
}
