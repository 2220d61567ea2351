// The lab's task checklist: each task's latest local verdict, its hint while it fails, and a badge
// once the server verified a passing submission. Kept in localStorage per lab.
import type { PublicTask } from '../../features/labs/public-lab.ts';
import { el, required } from './dom.ts';
import { type LabStatus, loadStatus, saveStatus, type TaskStatus } from './storage.ts';

const NOT_RUN: TaskStatus = { local: null, verified: false };

export class Checklist {
  private readonly status: LabStatus;
  private readonly list: HTMLOListElement;
  private readonly summary: HTMLElement;
  private readonly labId: string;
  private readonly tasks: PublicTask[];

  constructor(root: HTMLElement, labId: string, tasks: PublicTask[], onSelect: (taskId: string) => void) {
    this.labId = labId;
    this.tasks = tasks;
    this.status = loadStatus(labId);
    this.list = required<HTMLOListElement>(root, '[data-checklist]');
    this.summary = required<HTMLElement>(root, '[data-checklist-summary]');
    this.list.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-select-task]');
      if (button?.dataset['selectTask']) onSelect(button.dataset['selectTask']);
    });
    this.render();
  }

  get(taskId: string): TaskStatus {
    return this.status[taskId] ?? NOT_RUN;
  }

  recordLocal(taskId: string, verdict: { pass: boolean; message: string }): void {
    this.status[taskId] = { ...this.get(taskId), local: verdict };
    this.persist();
  }

  recordVerified(taskId: string): void {
    this.status[taskId] = { ...this.get(taskId), verified: true };
    this.persist();
  }

  private persist(): void {
    saveStatus(this.labId, this.status);
    this.render();
  }

  private render(): void {
    const items = this.tasks.map((task, index) => {
      const { local, verified } = this.get(task.id);
      const state = local === null ? 'Not run yet' : local.pass ? 'Passed locally' : 'Not passed yet';
      const mark = local === null ? '○' : local.pass ? '✓' : '✗';
      return el(
        'li',
        { class: `wb-check ${local === null ? 'is-todo' : local.pass ? 'is-pass' : 'is-fail'}`, 'data-task': task.id },
        el(
          'p',
          { class: 'wb-check-head' },
          el('span', { class: 'wb-check-mark', 'aria-hidden': 'true' }, mark),
          el('button', { type: 'button', class: 'link-button', 'data-select-task': task.id }, `${index + 1}. ${task.title}`),
        ),
        el(
          'p',
          { class: 'wb-check-state' },
          state,
          verified && ' ',
          verified && el('span', { class: 'wb-badge is-verified' }, 'Verified by the server'),
        ),
        local && el('p', { class: 'wb-check-message' }, local.message),
        local && !local.pass && el('p', { class: 'wb-hint' }, el('strong', {}, 'Hint: '), task.hint),
      );
    });
    this.list.replaceChildren(...items);
    const passed = this.tasks.filter((t) => this.get(t.id).local?.pass).length;
    const verified = this.tasks.filter((t) => this.get(t.id).verified).length;
    this.summary.textContent = `${passed} of ${this.tasks.length} tasks passed locally, ${verified} verified by the server.`;
  }
}
