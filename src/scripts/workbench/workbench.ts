// The lab workbench: task tabs, the script editor, Run/Stop, live progress, results and charts,
// the checklist, and submission for server verification. Plain DOM on top of the page's markup
// (src/pages/labs/[lab].astro); the lab data comes from the page's JSON script element.
import { type PublicLab, PublicLabSchema, type PublicTask } from '../../features/labs/public-lab.ts';
import type { RunProgress, SyntaxProblem, TaskOutcomeView } from '../../features/labs/workbench-messages.ts';
import { type AnswerField, renderAnswerField } from './answer.ts';
import { fetchSeed, submitRun } from './api.ts';
import { RunCharts } from './charts.ts';
import { Checklist } from './checklist.ts';
import { el, required } from './dom.ts';
import { type CodeEditor, createCodeEditor } from './editor.ts';
import { renderRunResult } from './results.ts';
import { randomSeed, TaskRun } from './runner.ts';
import { forgetCode, loadCode, saveCode } from './storage.ts';
import { describeSyntaxProblem, SyntaxChecker } from './syntax-checker.ts';

interface LastRun {
  outcome: TaskOutcomeView;
  code: string;
  answer: string | null;
  /** The server's signature over the seed; null for a run nobody can verify. */
  token: string | null;
}

interface Pending {
  taskId: string;
  code: string;
  answer: string | null;
  token: string | null;
  startedAt: number;
  runIndex: number;
}

function isSignedIn(): boolean {
  return document.documentElement.hasAttribute('data-signed-in');
}

function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function readLabData(): PublicLab {
  const script = document.getElementById('lab-data');
  const parsed = PublicLabSchema.safeParse(JSON.parse(script?.textContent ?? 'null'));
  if (!parsed.success) throw new Error('workbench: the lab data on the page is missing or invalid');
  return parsed.data;
}

class Workbench {
  private readonly lab: PublicLab;
  private readonly root: HTMLElement;
  private readonly tabs: HTMLButtonElement[];
  private readonly panel: HTMLElement;
  private readonly ui: {
    editor: HTMLElement;
    syntax: HTMLElement;
    answer: HTMLElement;
    run: HTMLButtonElement;
    stop: HTMLButtonElement;
    reset: HTMLButtonElement;
    submit: HTMLButtonElement;
    submitNote: HTMLElement;
    submitStatus: HTMLElement;
    runStatus: HTMLElement;
    meters: HTMLElement;
    verdict: HTMLElement;
    results: HTMLElement;
    charts: HTMLElement;
    runs: HTMLElement;
  };
  private readonly checker = new SyntaxChecker();
  private readonly checklist: Checklist;
  private readonly answers = new Map<string, string | null>();
  private readonly lastRuns = new Map<string, LastRun>();
  private readonly taskRun: TaskRun;
  private task: PublicTask;
  private editor: CodeEditor | null = null;
  private answerField: AnswerField | null = null;
  private charts: RunCharts | null = null;
  private pending: Pending | null = null;
  private submitting = false;

  constructor(root: HTMLElement, lab: PublicLab) {
    this.root = root;
    this.lab = lab;
    const first = lab.tasks[0];
    if (!first) throw new Error('workbench: the lab has no tasks');
    this.task = first;
    this.tabs = [...root.querySelectorAll<HTMLButtonElement>('[role="tab"][data-task]')];
    this.panel = required(root, '[role="tabpanel"]');
    this.ui = {
      editor: required(root, '[data-editor]'),
      syntax: required(root, '[data-syntax]'),
      answer: required(root, '[data-answer]'),
      run: required(root, '[data-run]'),
      stop: required(root, '[data-stop]'),
      reset: required(root, '[data-reset]'),
      submit: required(root, '[data-submit]'),
      submitNote: required(root, '[data-submit-note]'),
      submitStatus: required(root, '[data-submit-status]'),
      runStatus: required(root, '[data-run-status]'),
      meters: required(root, '[data-meters]'),
      verdict: required(root, '[data-verdict]'),
      results: required(root, '[data-results]'),
      charts: required(root, '[data-charts]'),
      runs: required(root, '[data-runs]'),
    };
    this.checklist = new Checklist(required(document, '[data-checklist-root]'), lab.id, lab.tasks, (id) => this.selectTask(id, true));
    this.taskRun = new TaskRun({
      onProgress: (runIndex, progress) => this.showProgress(runIndex, progress),
      onDone: (outcome) => this.finishRun(outcome),
      onFailure: (message) => this.failRun(message),
      onStopped: (reason) => this.stopped(reason),
    });
  }

  start(): void {
    this.wireTabs();
    this.ui.run.addEventListener('click', () => void this.startRun());
    this.ui.stop.addEventListener('click', () => this.taskRun.stop());
    this.ui.reset.addEventListener('click', () => this.resetToStarter());
    this.ui.submit.addEventListener('click', () => void this.submit());
    required<HTMLElement>(this.root, '[data-tabs]').hidden = false;
    required<HTMLElement>(this.root, '[data-work]').hidden = false;
    const fromHash = /^#task-(.+)$/.exec(location.hash)?.[1];
    const linked = this.lab.tasks.find((t) => t.id === fromHash);
    this.selectTask(linked?.id ?? this.task.id, false, false);
  }

  // --- tasks ---------------------------------------------------------------------------------

  private wireTabs(): void {
    for (const tab of this.tabs) {
      tab.addEventListener('click', () => this.selectTask(tab.dataset['task'] ?? '', false));
      tab.addEventListener('keydown', (event) => {
        const index = this.tabs.indexOf(tab);
        const last = this.tabs.length - 1;
        const target = { ArrowRight: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1, Home: 0, End: last }[
          event.key
        ];
        if (target === undefined) return;
        event.preventDefault();
        const next = this.tabs[target];
        if (!next) return;
        next.focus();
        this.selectTask(next.dataset['task'] ?? '', false);
      });
    }
  }

  /** Shows a task; `linkable` puts it in the address (#task-<id>) so the view can be shared. */
  private selectTask(taskId: string, focusTab: boolean, linkable = true): void {
    const task = this.lab.tasks.find((t) => t.id === taskId);
    if (!task) return;
    if (task === this.task && this.editor) {
      if (focusTab) this.tabs.find((tab) => tab.dataset['task'] === task.id)?.focus();
      return;
    }
    if (this.taskRun.running) this.taskRun.stop('you switched to another task');
    this.task = task;
    for (const tab of this.tabs) {
      const selected = tab.dataset['task'] === task.id;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      if (selected) {
        this.panel.setAttribute('aria-labelledby', tab.id);
        if (focusTab) tab.focus();
      }
    }
    for (const goal of this.root.querySelectorAll<HTMLElement>('[data-goal]')) goal.hidden = goal.dataset['goal'] !== task.id;
    if (linkable && location.hash !== `#task-${task.id}`) history.replaceState(null, '', `#task-${task.id}`);

    this.editor?.destroy();
    this.ui.editor.replaceChildren();
    this.ui.syntax.textContent = '';
    this.editor = createCodeEditor({
      parent: this.ui.editor,
      label: `k6 script for task: ${task.title}`,
      code: loadCode(this.lab.id, task.id) ?? task.starter,
      onChange: (code) => {
        saveCode(this.lab.id, task.id, code);
        this.updateSubmitState();
      },
      checkSyntax: (code) => this.checker.check(code),
      onSyntax: (problem) => this.showSyntax(problem),
    });
    this.answerField = renderAnswerField(this.ui.answer, task, this.answers.get(task.id) ?? null, (value) => {
      this.answers.set(task.id, value);
      this.updateSubmitState();
    });
    this.ui.runStatus.textContent = '';
    this.ui.meters.hidden = true;
    this.ui.submitStatus.textContent = '';
    const last = this.lastRuns.get(task.id);
    if (last) this.showOutcome(last.outcome);
    else this.clearOutcome();
    this.updateSubmitState();
  }

  private resetToStarter(): void {
    if (!this.editor || this.editor.getCode() === this.task.starter) return;
    if (
      !confirm(
        'Replace your script with the starter script for this task? Your changes will be lost (Ctrl+Z in the editor brings them back until you leave the page).',
      )
    )
      return;
    this.editor.replaceCode(this.task.starter);
    forgetCode(this.lab.id, this.task.id);
    this.editor.focus();
  }

  private showSyntax(problem: SyntaxProblem | null): void {
    this.ui.syntax.textContent = problem ? describeSyntaxProblem(problem) : '';
    this.ui.syntax.classList.toggle('form-error', problem !== null);
  }

  // --- running -------------------------------------------------------------------------------

  private async startRun(): Promise<void> {
    if (this.taskRun.running || !this.editor) return;
    const task = this.task;
    const code = this.editor.getCode();
    const answer = this.answerField?.value() ?? null;
    this.setRunning(true);
    this.ui.submitStatus.textContent = '';
    this.ui.runStatus.textContent = 'Preparing the run…';
    const { seed, token } = await this.chooseSeed(task);
    if (this.task !== task) {
      // The learner switched tasks while the seed was on its way.
      this.setRunning(false);
      this.ui.runStatus.textContent = '';
      return;
    }
    this.pending = { taskId: task.id, code, answer, token, startedAt: performance.now(), runIndex: -1 };
    this.ui.meters.hidden = false;
    this.showProgress(0, { virtualMs: 0, vus: 0, requests: 0, requestsPerSecond: 0 });
    this.taskRun.start({ type: 'run', labId: this.lab.id, taskId: task.id, code, seed, answer });
  }

  /** Signed in: a seed the server signed, so the run can be verified; otherwise a random one. */
  private async chooseSeed(task: PublicTask): Promise<{ seed: number; token: string | null }> {
    if (!isSignedIn()) return { seed: randomSeed(), token: null };
    const response = await fetchSeed(this.lab.id, task.id);
    if (response.ok) {
      if (response.value.version !== this.lab.version) {
        this.ui.submitStatus.textContent = `This lab was updated (version ${response.value.version}) after this page loaded: reload the page before you submit.`;
      }
      return { seed: response.value.seed, token: response.value.token };
    }
    if (response.status === 401) {
      document.documentElement.removeAttribute('data-signed-in');
      this.ui.submitStatus.textContent = 'Your session has ended: sign in again to submit. This run is local only.';
    } else {
      this.ui.submitStatus.textContent = `No verifiable seed (${response.error}) This run is local only.`;
    }
    return { seed: randomSeed(), token: null };
  }

  private showProgress(runIndex: number, progress: RunProgress): void {
    const pending = this.pending;
    if (!pending) return;
    const runs = this.task.runs;
    const label = runs[runIndex]?.label ?? `run ${runIndex + 1}`;
    if (pending.runIndex !== runIndex) {
      pending.runIndex = runIndex;
      this.ui.runStatus.textContent =
        runs.length > 1 ? `Running ${label} (run ${runIndex + 1} of ${runs.length})…` : `Running against the ${label}…`;
    }
    const meters: Record<string, string> = {
      run: label,
      time: `${formatNumber(progress.virtualMs / 1000, 1)} s`,
      vus: formatNumber(progress.vus),
      rate: `${formatNumber(progress.requestsPerSecond, 1)} /s`,
      requests: formatNumber(progress.requests),
    };
    for (const [name, value] of Object.entries(meters)) {
      const meter = this.ui.meters.querySelector<HTMLElement>(`[data-meter="${name}"]`);
      if (meter) meter.textContent = value;
    }
  }

  private finishRun(outcome: TaskOutcomeView): void {
    const pending = this.pending;
    this.pending = null;
    this.setRunning(false);
    if (!pending) return;
    const seconds = (performance.now() - pending.startedAt) / 1000;
    // This workbench runs k6 tasks only; telemetry tasks have their own (telemetry-workbench.ts).
    const runs = outcome.kind === 'k6' ? outcome.runs : [];
    const virtual = runs.reduce((sum, run) => sum + run.result.virtualDurationMs, 0) / 1000;
    this.ui.runStatus.textContent = `Finished: ${formatNumber(virtual, 1)} s of virtual time in ${formatNumber(seconds, 1)} s.`;
    // Live numbers are for a run in progress; the results below describe the finished one.
    this.ui.meters.hidden = true;
    this.lastRuns.set(pending.taskId, { outcome, code: pending.code, answer: pending.answer, token: pending.token });
    this.checklist.recordLocal(pending.taskId, outcome.verdict);
    this.showOutcome(outcome);
    this.updateSubmitState();
  }

  private failRun(message: string): void {
    this.pending = null;
    this.setRunning(false);
    this.ui.runStatus.textContent = `The run failed: ${message}`;
  }

  private stopped(reason: string | null): void {
    this.pending = null;
    this.setRunning(false);
    this.ui.runStatus.textContent = reason ? `Stopped: ${reason}.` : 'Stopped.';
  }

  private setRunning(running: boolean): void {
    this.ui.run.disabled = running;
    this.ui.stop.disabled = !running;
    this.ui.run.textContent = running ? 'Running…' : 'Run';
    this.root.toggleAttribute('data-running', running);
    if (!running && document.activeElement === this.ui.stop) this.ui.run.focus();
    this.updateSubmitState();
  }

  // --- results -------------------------------------------------------------------------------

  private clearOutcome(): void {
    this.charts?.destroy();
    this.charts = null;
    this.ui.verdict.replaceChildren();
    this.ui.verdict.className = 'wb-verdict';
    this.ui.charts.replaceChildren();
    this.ui.runs.replaceChildren();
    this.ui.results.hidden = true;
  }

  private showOutcome(outcome: TaskOutcomeView): void {
    this.clearOutcome();
    const { pass, message } = outcome.verdict;
    this.ui.verdict.className = `wb-verdict ${pass ? 'is-pass' : 'is-fail'}`;
    this.ui.verdict.append(el('p', {}, el('strong', {}, pass ? '✓ Task passed locally. ' : '✗ Not passed yet. '), message));
    if (!pass) this.ui.verdict.append(el('p', { class: 'wb-hint' }, el('strong', {}, 'Hint: '), this.task.hint));
    this.ui.results.hidden = false;
    if (outcome.kind !== 'k6') return;
    const charted = outcome.runs.filter((run) => run.result.timeSeries.t.length > 0);
    if (charted.length > 0)
      this.charts = new RunCharts(
        this.ui.charts,
        charted.map((run) => ({ label: run.label, series: run.result.timeSeries })),
      );
    this.ui.runs.append(...outcome.runs.map((run) => renderRunResult(run.label, run.result, 'h5')));
  }

  // --- submitting ----------------------------------------------------------------------------

  /** The run that would be submitted: the latest one of this task, of exactly the current script and answer. */
  private submittable(): LastRun | null {
    const last = this.lastRuns.get(this.task.id);
    if (!last || !this.editor) return null;
    if (last.code !== this.editor.getCode() || last.answer !== (this.answerField?.value() ?? null)) return null;
    return last;
  }

  private updateSubmitState(): void {
    if (!isSignedIn()) {
      this.ui.submit.disabled = true;
      this.ui.submitNote.textContent = 'Runs here are private to your browser; sign in to have the server verify them.';
      return;
    }
    const last = this.submittable();
    const ready = last !== null && last.token !== null && !this.taskRun.running && !this.submitting;
    this.ui.submit.disabled = !ready;
    if (this.taskRun.running) this.ui.submitNote.textContent = '';
    else if (!last) this.ui.submitNote.textContent = 'Run the current script to submit it: the server re-runs exactly what you ran.';
    else if (last.token === null) this.ui.submitNote.textContent = 'This run was local only; run it again to get a verifiable seed.';
    else this.ui.submitNote.textContent = '';
  }

  private async submit(): Promise<void> {
    const last = this.submittable();
    if (!last || last.token === null || this.submitting) return;
    const taskId = last.outcome.taskId;
    this.submitting = true;
    this.updateSubmitState();
    this.ui.submitStatus.className = '';
    this.ui.submitStatus.textContent = 'Submitting: the server is re-running your script…';
    const response = await submitRun(this.lab.id, {
      version: last.outcome.labVersion,
      taskId,
      seed: last.outcome.seed,
      token: last.token,
      code: last.code,
      answer: last.answer,
      digest: last.outcome.digest,
    });
    this.submitting = false;
    if (response.ok) {
      const { passed, verified, message, verifyMs } = response.value;
      if (passed && verified) this.checklist.recordVerified(taskId);
      this.ui.submitStatus.className = passed && verified ? 'notice' : 'form-error';
      this.ui.submitStatus.textContent =
        passed && verified
          ? `✓ Verified by the server (re-run in ${formatNumber(verifyMs / 1000, 1)} s): ${message}`
          : `The server re-ran your script: not passed. ${message}`;
    } else {
      if (response.status === 401) document.documentElement.removeAttribute('data-signed-in');
      this.ui.submitStatus.className = 'form-error';
      this.ui.submitStatus.textContent = `Not submitted: ${response.error}`;
    }
    this.updateSubmitState();
  }
}

export function setUpWorkbench(): void {
  const root = document.querySelector<HTMLElement>('[data-workbench]');
  if (!root) return;
  new Workbench(root, readLabData()).start();
}
