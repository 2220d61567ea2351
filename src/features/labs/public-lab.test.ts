import { describe, expect, it } from 'vitest';
import { LABS } from '../../../labs/registry.ts';
import { PublicLabSchema, serializeForScript, toPublicLab } from './public-lab.ts';

describe('toPublicLab', () => {
  for (const lab of LABS) {
    it(`gives the browser no grader and no service for "${lab.id}"`, () => {
      const json = serializeForScript(toPublicLab(lab));
      const parsed = PublicLabSchema.parse(JSON.parse(json));
      expect(parsed.tasks.map((t) => t.id)).toEqual(lab.tasks.map((t) => t.id));
      for (const task of parsed.tasks) {
        expect(Object.keys(task)).not.toContain('grade');
        for (const run of task.runs) expect(Object.keys(run)).toEqual(['label']);
      }
      expect(json).not.toContain('"workers"');
      // A cluster task's scenario ships (the worker simulates it; ADR 019); other labs have no faults to show.
      if (!lab.tasks.some((t) => t.kind === 'cluster')) expect(json).not.toContain('"faults"');
      // The telemetry's model and its incidents are the graders' ground truth.
      expect(json).not.toContain('"incidents"');
      expect(json).not.toContain('"errorRatio"');
      expect(json).not.toContain('"builds"');
    });
  }

  it('ships a cluster task’s scenario, questions and remedies, but not which answer is right or why', () => {
    const lab = LABS.find((l) => l.id === 'database-observability');
    if (!lab) throw new Error('no database observability lab');
    const publicLab = PublicLabSchema.parse(JSON.parse(serializeForScript(toPublicLab(lab))));
    const json = JSON.stringify(publicLab);
    for (const task of publicLab.tasks) {
      if (task.kind !== 'cluster') throw new Error(`${task.id} is not a cluster task`);
      const source = lab.tasks.find((t) => t.id === task.id);
      if (source?.kind !== 'cluster') throw new Error('no source task');
      expect(task.remediations.map((r) => r.id)).toEqual(source.remediations.map((r) => r.id));
      expect(task.triage.options.length).toBeGreaterThanOrEqual(2);
      expect(task.focus).toEqual(source.focus);
    }
    // Explanations are written in the graders only.
    expect(json).not.toContain('stays on its three replica shards');
    expect(json).not.toContain('"explanation"');
  });

  it('keeps answer specs and starters', () => {
    const lab = LABS[0];
    if (!lab) throw new Error('no lab');
    const publicLab = toPublicLab(lab);
    expect(publicLab.tasks.map((t) => t.starter)).toEqual(lab.tasks.map((t) => t.starter));
    expect(publicLab.tasks.map((t) => t.answer)).toEqual(lab.tasks.map((t) => t.answer));
  });
});

describe('serializeForScript', () => {
  it('cannot close the script element it is written into', () => {
    const json = serializeForScript({ starter: '</script><script>alert(1)</script>' });
    expect(json).not.toContain('</script>');
    expect(JSON.parse(json)).toEqual({ starter: '</script><script>alert(1)</script>' });
  });
});
