// Shutdown hooks shared by both copies of our code in one process (scripts/serve.ts loads modules
// from source, the built site has its own bundled copies): state that must be flushed on SIGTERM —
// the autosave group-commit queue, database pools — registers a hook here, on globalThis, and
// serve.ts runs them once the server stopped accepting and in-flight requests finished.

type Hook = () => Promise<void>;

interface Lifecycle {
  draining: boolean;
  hooks: Map<string, { hook: Hook; order: number }>;
}

const shared = globalThis as unknown as { headroomLifecycle?: Lifecycle };

function lifecycle(): Lifecycle {
  shared.headroomLifecycle ??= { draining: false, hooks: new Map() };
  return shared.headroomLifecycle;
}

/** Registers (or replaces, by name) work to do before the process exits; lower `order` runs first. */
export function onShutdown(name: string, hook: Hook, order: number): void {
  lifecycle().hooks.set(name, { hook, order });
}

/** True once shutdown began: /healthz answers 503 so load balancers stop sending traffic. */
export function isDraining(): boolean {
  return lifecycle().draining;
}

export function beginDraining(): void {
  lifecycle().draining = true;
}

/** Runs every hook by `order`; a failing hook does not stop the others. */
export async function runShutdownHooks(): Promise<{ name: string; error: string }[]> {
  const failures: { name: string; error: string }[] = [];
  const hooks = [...lifecycle().hooks].sort(([, a], [, b]) => a.order - b.order);
  for (const [name, { hook }] of hooks) {
    try {
      await hook();
    } catch (error) {
      failures.push({ name, error: (error as Error).message });
    }
  }
  return failures;
}
