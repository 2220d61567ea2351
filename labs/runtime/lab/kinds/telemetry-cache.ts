// The telemetry a lab's tasks work on, generated from the run's seed and kept for the next run with
// the same seed (one dataset at a time: it is ~150 MB).
import { generateTelemetry } from '../../telemetry/generate.ts';
import type { Telemetry } from '../../telemetry/spec.ts';
import type { Lab } from '../definition.ts';

let cached: { key: string; telemetry: Telemetry } | undefined;

export function labTelemetry(lab: Lab, seed: number): Telemetry {
  if (!lab.telemetry) throw new Error(`lab "${lab.id}" has no telemetry`);
  const key = `${lab.id}@${lab.version}#${seed}`;
  if (cached?.key === key) return cached.telemetry;
  // Let the previous dataset go before building the next one.
  cached = undefined;
  const telemetry = generateTelemetry(lab.telemetry, seed);
  cached = { key, telemetry };
  return telemetry;
}

/** Whether a run with this seed will find its telemetry ready (else it is generated first, ~2 s). */
export function hasTelemetry(lab: Lab, seed: number): boolean {
  return cached?.key === `${lab.id}@${lab.version}#${seed}`;
}
