import { describe, expect, it } from 'vitest';
import { certificationChecklist, examProgress } from './dashboard.ts';

const attempt = (id: string, reported: number | null, passed: boolean | null, status = 'submitted') => ({
  id,
  startedAt: new Date('2026-01-01T00:00:00Z'),
  status,
  reported,
  passed,
});

describe('examProgress', () => {
  it('shows the newest scored attempt and counts the exam passed if any attempt passed', () => {
    const exam = examProgress(
      { eligible: true, openAttemptId: null, attempts: [attempt('c', 640, false), attempt('b', 760, true), attempt('a', 500, false)] },
      700,
    );
    expect(exam.latest).toEqual({ reported: 640, passed: false, href: '/exam/attempts/c/result/' });
    expect(exam.passed).toBe(true);
  });

  it('offers to resume an attempt in progress', () => {
    const exam = examProgress({ eligible: true, openAttemptId: 'x', attempts: [attempt('x', null, null, 'in_progress')] }, 700);
    expect(exam.resumeHref).toBe('/exam/attempts/x/');
    expect(exam.latest).toBeNull();
  });
});

describe('certificationChecklist', () => {
  it('links the exam item to the exam page and describes the latest result', () => {
    const exam = examProgress({ eligible: true, openAttemptId: null, attempts: [attempt('a', 640, false)] }, 700);
    const item = certificationChecklist([], [], { lessons: {}, sessions: {} }, [], new Map(), exam).at(-1);
    expect(item).toMatchObject({ label: 'Pass the certification exam', done: false, href: '/exam/' });
    expect(item?.detail).toBe('Latest attempt: 640, not passed (700 needed)');
  });
});
