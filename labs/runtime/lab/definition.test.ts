// defineLab validates every kind of task with its own schema and refuses inconsistent labs.
import { describe, expect, it } from 'vitest';
import k6Lab from '../../k6-load-testing/lab.ts';
import sloLab from '../../slo-prometheus/lab.ts';
import { defineLab, type Lab, LabDefinitionError, TaskDataSchema } from './definition.ts';

const promqlTask = {
  kind: 'promql' as const,
  id: 'a-query',
  title: 'A query',
  goal: 'Write a query that returns one number.',
  starter: 'sum(up) by (job)',
  editorLabel: 'Your query',
  hint: 'Use sum() around the selector.',
  grade: () => ({ pass: false, message: 'not yet' }),
};

function labWith(tasks: Lab['tasks']): Lab {
  return { ...sloLab, id: 'test-lab', tasks };
}

describe('defineLab', () => {
  it('accepts both registered labs, every task with its kind', () => {
    expect(k6Lab.tasks.every((t) => t.kind === 'k6')).toBe(true);
    expect(sloLab.tasks.map((t) => t.kind)).toEqual(['promql', 'promql', 'promql', 'rules', 'quality-gate']);
  });

  it('refuses a task without a kind, or with one it does not know', () => {
    const { kind: _kind, grade: _grade, ...noKind } = promqlTask;
    expect(TaskDataSchema.safeParse(noKind).success).toBe(false);
    expect(TaskDataSchema.safeParse({ ...noKind, kind: 'sql' }).success).toBe(false);
  });

  it('refuses telemetry tasks in a lab without telemetry', () => {
    const { telemetry: _t, ...withoutTelemetry } = labWith([promqlTask]);
    expect(() => defineLab(withoutTelemetry as Lab)).toThrow(/needs telemetry/);
  });

  it('refuses duplicate file names and file references that name no file', () => {
    const file = { name: 'q2', label: 'Second query', language: 'promql' as const, starter: 'up' };
    expect(() => defineLab(labWith([{ ...promqlTask, files: [file, file] }]))).toThrow(LabDefinitionError);
    const rules = {
      ...promqlTask,
      kind: 'rules' as const,
      ruleFileName: 'rules.yml',
      testFileName: 'tests.yml',
      grade: () => ({ pass: false, message: '' }),
    };
    expect(() => defineLab(labWith([rules]))).toThrow(/testFileName/);
    expect(defineLab(labWith([{ ...rules, files: [{ ...file, name: 'tests.yml', language: 'yaml' }] }])).tasks).toHaveLength(1);
  });

  it('refuses a quality gate whose builds end before they start', () => {
    const gate = {
      ...promqlTask,
      kind: 'quality-gate' as const,
      sliFileName: 'sli.yaml',
      files: [{ name: 'sli.yaml', label: 'SLI file', language: 'yaml' as const, starter: '' }],
      builds: [
        { label: 'old', fromMs: 10, toMs: 5, role: 'baseline' as const },
        { label: 'new', fromMs: 10, toMs: 20, role: 'good' as const },
      ],
      grade: () => ({ pass: false, message: '' }),
    };
    expect(() => defineLab(labWith([gate]))).toThrow(/toMs must be after fromMs/);
  });
});
