// Every lab, by id. A test fails if a lab folder under labs/ is missing here.

import databaseObservability from './database-observability/lab.ts';
import k6LoadTesting from './k6-load-testing/lab.ts';
import type { Lab } from './runtime/lab/definition.ts';
import sloPrometheus from './slo-prometheus/lab.ts';

export const LABS: readonly Lab[] = [k6LoadTesting, sloPrometheus, databaseObservability];

export function findLab(id: string): Lab | undefined {
  return LABS.find((lab) => lab.id === id);
}
