// The sandbox for learner code: QuickJS compiled to WebAssembly (ADR 009). One runtime per run,
// with a memory limit, a stack limit and a wall-clock deadline enforced by QuickJS's interrupt
// handler. The context has no host globals: no fetch, process, require or real timers; the only
// way out is the host functions the engine installs. Isomorphic: the same code runs in a browser
// Web Worker, in Node worker_threads and in tests.
import variant from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
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
