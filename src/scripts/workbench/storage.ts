// What the workbench keeps in the browser: the learner's script per lab and task, and the latest
// verdict per task. localStorage is a boundary like any other: what comes back is parsed.
import { z } from 'zod';

const TaskStatusSchema = z.object({
  /** The latest local run's verdict. */
  local: z.object({ pass: z.boolean(), message: z.string() }).nullable(),
  /** A submission of this task came back verified and passed. */
  verified: z.boolean(),
});
const LabStatusSchema = z.record(z.string(), TaskStatusSchema);

export type TaskStatus = z.infer<typeof TaskStatusSchema>;
export type LabStatus = z.infer<typeof LabStatusSchema>;

export const codeKey = (labId: string, taskId: string) => `headroom-lab-${labId}-${taskId}`;
const statusKey = (labId: string) => `headroom-lab-status-${labId}`;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage full or disabled: the script simply is not kept.
  }
}

export function loadCode(labId: string, taskId: string): string | null {
  return read(codeKey(labId, taskId));
}

export function saveCode(labId: string, taskId: string, code: string): void {
  write(codeKey(labId, taskId), code);
}

export function forgetCode(labId: string, taskId: string): void {
  write(codeKey(labId, taskId), null);
}

export function loadStatus(labId: string): LabStatus {
  try {
    const parsed = LabStatusSchema.safeParse(JSON.parse(read(statusKey(labId)) ?? '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function saveStatus(labId: string, status: LabStatus): void {
  write(statusKey(labId), JSON.stringify(status));
}
