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
      expect(json).not.toContain('"faults"');
      // The telemetry's model and its incidents are the graders' ground truth.
      expect(json).not.toContain('"incidents"');
      expect(json).not.toContain('"errorRatio"');
      expect(json).not.toContain('"builds"');
    });
  }

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
