// The workbench of the database observability lab (cluster tasks, ADR 019/020): for the chosen
// task it has the worker simulate the incident ("Simulating the cluster…", or the simulator's
// reason for refusing), draws the dashboards over it (dashboard-view.ts), lets the learner explore
// with their own PromQL, and grades the diagnosis in the worker: 1) triage, 2) cause and the
// evidence query, 3) remediation, whose re-run the dashboards can then show next to the incident
// with the SLO before and after. Submission goes to the server like the other labs'
// (verification.ts). Drafts (the queries and the choices) stay in this browser.
import { DASHBOARDS } from '../../../labs/database-observability/dashboards.ts';
import { parseQuery } from '../../../labs/runtime/promql/index.ts';
import { type PublicLab, PublicLabSchema, type PublicTask } from '../../features/labs/public-lab.ts';
import type { TaskOutcomeView } from '../../features/labs/workbench-messages.ts';
import { Checklist } from './checklist.ts';
import { type DashboardSource, type TimeRange, timeRanges } from './dashboard-data.ts';
import { DashboardView } from './dashboard-view.ts';
import { el, required, uniqueId } from './dom.ts';
import { type ClusterTarget, LabSession } from './lab-session.ts';
import { createPromqlEditor, type SeriesSnapshot, SnapshotPrometheusClient, type TextEditor, type TextProblem } from './promql-editor.ts';
import { formatTime } from './query-format.ts';
import { type QueryView, renderQueryOutcome } from './query-view.ts';
import { randomSeed } from './runner.ts';
import { forgetCode, loadCode, saveCode } from './storage.ts';
import { isSignedIn, type SeedChoice, signedSeed, submitForVerification } from './verification.ts';

type ClusterTask = Extract<PublicTask, { kind: 'cluster' }>;
type ClusterOutcome = Extract<TaskOutcomeView, { kind: 'cluster' }>;
type Choices = { triage: string; cause: string; remedy: string };

const INCIDENT = 'incident';

interface LastRun {
  outcome: ClusterOutcome;
  code: string;
  choices: Choices;
  token: string | null;
}

function readLabData(): PublicLab {
  const script = document.getElementById('lab-data');
  const parsed = PublicLabSchema.safeParse(JSON.parse(script?.textContent ?? 'null'));
  if (!parsed.success) throw new Error('workbench: the lab data on the page is missing or invalid');
  return parsed.data;
}

function checkQuery(query: string): Promise<TextProblem | null> {
  const parsed = parseQuery(query);
  return Promise.resolve(parsed.ok ? null : { message: parsed.error.message, line: parsed.error.line, column: parsed.error.column });
}

const choicesKey = (taskId: string) => `${taskId}--choices`;

function loadChoices(labId: string, taskId: string): Partial<Choices> {
  try {
    const parsed: unknown = JSON.parse(loadCode(labId, choicesKey(taskId)) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: Partial<Choices> = {};
    for (const key of ['triage', 'cause', 'remedy'] as const) {
      const value = (parsed as Record<string, unknown>)[key];
      if (typeof value === 'string') out[key] = value;
    }
    return out;
  } catch {
    return {};
  }
}

/** Completion's names arrive once the worker has simulated the cluster; until then answers wait. */
class LazySnapshotClient extends SnapshotPrometheusClient {
  private ready: Promise<SnapshotPrometheusClient>;

  constructor(snapshot: Promise<SeriesSnapshot>) {
    super({ metrics: [], series: [] });
    this.ready = snapshot.then((s) => new SnapshotPrometheusClient(s));
  }

  override async labelNames(metricName?: string) {
    return (await this.ready).labelNames(metricName);
  }
  override async labelValues(...args: Parameters<SnapshotPrometheusClient['labelValues']>) {
    return (await this.ready).labelValues(...args);
  }
  override async metricMetadata() {
    return (await this.ready).metricMetadata();
  }
  override async series(...args: Parameters<SnapshotPrometheusClient['series']>) {
    return (await this.ready).series(...args);
  }
  override async metricNames(prefix?: string) {
    return (await this.ready).metricNames(prefix);
  }
}

class ClusterWorkbench {
  private readonly lab: PublicLab;
  private readonly root: HTMLElement;
  private readonly tabs: HTMLButtonElement[];
  private readonly panel: HTMLElement;
  private readonly ui;
  private readonly session = new LabSession((message) => this.showStatus(message));
  private readonly checklist: Checklist;
  private readonly seeds = new Map<string, SeedChoice>();
  private readonly anonymousSeed = randomSeed();
  private readonly lastRuns = new Map<string, LastRun>();
  private readonly spans = new Map<string, { start: number; end: number }>();
  private resolveSnapshot: (snapshot: SeriesSnapshot) => void = () => undefined;
  private readonly client: SnapshotPrometheusClient;
  private task: ClusterTask;
  private evidence: TextEditor | null = null;
  private explorer: TextEditor | null = null;
  private dashboard: DashboardView | null = null;
  private dashboardId = DASHBOARDS[0]?.id ?? 'overview';
  private variant = INCIDENT;
  private ranges: TimeRange[] = [];
  private views: QueryView[] = [];
  private explorerView: QueryView | null = null;
  private running = false;
  private submitting = false;
  private statusTarget: HTMLElement;
  private snapshotLoaded = false;
  /** Bumped on every task switch: late answers for another task are dropped. */
  private generation = 0;

  constructor(root: HTMLElement, lab: PublicLab) {
    this.root = root;
    this.lab = lab;
    const first = lab.tasks.find((t): t is ClusterTask => t.kind === 'cluster');
    if (!first) throw new Error('workbench: the lab has no cluster tasks');
    this.task = first;
    this.tabs = [...root.querySelectorAll<HTMLButtonElement>('[data-tabs] [role="tab"][data-task]')];
    this.panel = required(root, '#wb-panel');
    this.ui = {
      scenarioStatus: required<HTMLElement>(root, '[data-scenario-status]'),
      dashboardTabs: required<HTMLElement>(root, '[data-dashboard-tabs]'),
      range: required<HTMLSelectElement>(root, '[data-range]'),
      variant: required<HTMLSelectElement>(root, '[data-variant]'),
      variantNote: required<HTMLElement>(root, '[data-variant-note]'),
      dashboard: required<HTMLElement>(root, '[data-dashboard]'),
      explorerEditor: required<HTMLElement>(root, '[data-explorer-editor]'),
      explorerInstant: required<HTMLButtonElement>(root, '[data-explorer-instant]'),
      explorerGraph: required<HTMLButtonElement>(root, '[data-explorer-graph]'),
      explorerStatus: required<HTMLElement>(root, '[data-explorer-status]'),
      explorerOutput: required<HTMLElement>(root, '[data-explorer-output]'),
      triage: required<HTMLFieldSetElement>(root, '[data-triage]'),
      cause: required<HTMLFieldSetElement>(root, '[data-cause]'),
      remedy: required<HTMLFieldSetElement>(root, '[data-remedy]'),
      evidenceLabel: required<HTMLElement>(root, '[data-evidence-label]'),
      evidenceEditor: required<HTMLElement>(root, '[data-evidence-editor]'),
      syntax: required<HTMLElement>(root, '[data-syntax]'),
      run: required<HTMLButtonElement>(root, '[data-run]'),
      stop: required<HTMLButtonElement>(root, '[data-stop]'),
      reset: required<HTMLButtonElement>(root, '[data-reset]'),
      submit: required<HTMLButtonElement>(root, '[data-submit]'),
      submitNote: required<HTMLElement>(root, '[data-submit-note]'),
      submitStatus: required<HTMLElement>(root, '[data-submit-status]'),
      runStatus: required<HTMLElement>(root, '[data-run-status]'),
      verdict: required<HTMLElement>(root, '[data-verdict]'),
      results: required<HTMLElement>(root, '[data-results]'),
      output: required<HTMLElement>(root, '[data-output]'),
    };
    this.statusTarget = this.ui.scenarioStatus;
    this.client = this.freshClient();
    this.checklist = new Checklist(required(document, '[data-checklist-root]'), lab.id, lab.tasks, (id) => this.selectTask(id, true));
  }

  start(): void {
    this.wireTabs();
    this.buildDashboardTabs();
    this.ui.range.addEventListener('change', () => void this.showDashboard());
    this.ui.variant.addEventListener('change', () => {
      this.variant = this.ui.variant.value;
      void this.showVariant();
    });
    this.ui.run.addEventListener('click', () => void this.startRun());
    this.ui.stop.addEventListener('click', () => this.session.stop('Stopped.'));
    this.ui.reset.addEventListener('click', () => this.resetToStarter());
    this.ui.submit.addEventListener('click', () => void this.submit());
    this.ui.explorerInstant.addEventListener('click', () => void this.explore('instant'));
    this.ui.explorerGraph.addEventListener('click', () => void this.explore('range'));
    for (const fieldset of [this.ui.triage, this.ui.cause, this.ui.remedy])
      fieldset.addEventListener('change', () => {
        saveCode(this.lab.id, choicesKey(this.task.id), JSON.stringify(this.choices()));
        this.updateSubmitState();
      });
    this.explorer = createPromqlEditor({
      parent: this.ui.explorerEditor,
      label: 'PromQL query to explore the cluster',
      code: loadCode(this.lab.id, 'explorer') ?? 'topk(5, scylla_reactor_utilization)',
      onChange: (code) => saveCode(this.lab.id, 'explorer', code),
      onRun: () => void this.explore('instant'),
      minHeight: '3rem',
      client: this.client,
      checkQuery,
      onCheck: () => undefined,
    });
    required<HTMLElement>(this.root, '[data-tabs]').hidden = false;
    required<HTMLElement>(this.root, '[data-work]').hidden = false;
    const fromHash = /^#task-(.+)$/.exec(location.hash)?.[1];
    const linked = this.lab.tasks.find((t) => t.id === fromHash && t.kind === 'cluster');
    this.selectTask(linked?.id ?? this.task.id, false, false, true);
  }

  private freshClient(): SnapshotPrometheusClient {
    const snapshot = new Promise<SeriesSnapshot>((resolve) => {
      this.resolveSnapshot = resolve;
    });
    return new LazySnapshotClient(snapshot);
  }

  // --- tasks ---------------------------------------------------------------------------------

  private wireTabs(): void {
    for (const tab of this.tabs) {
      tab.addEventListener('click', () => this.selectTask(tab.dataset['task'] ?? '', false));
      tab.addEventListener('keydown', (event) => {
        const index = this.tabs.indexOf(tab);
        const target = arrowTarget(event.key, index, this.tabs.length);
        if (target === null) return;
        event.preventDefault();
        const next = this.tabs[target];
        next?.focus();
        this.selectTask(next?.dataset['task'] ?? '', false);
      });
    }
  }

  private selectTask(taskId: string, focusTab: boolean, linkable = true, force = false): void {
    const task = this.lab.tasks.find((t): t is ClusterTask => t.id === taskId && t.kind === 'cluster');
    if (!task || (task === this.task && !force)) {
      if (focusTab) this.tabs.find((tab) => tab.dataset['task'] === taskId)?.focus();
      return;
    }
    if (this.running) this.session.stop('you switched to another task');
    this.generation++;
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
    this.renderDiagnosis(task);
    this.ui.runStatus.textContent = '';
    this.ui.submitStatus.textContent = '';
    this.variant = INCIDENT;
    const last = this.lastRuns.get(task.id);
    this.renderVariants(last?.choices.remedy ?? null);
    if (last) this.showOutcome(last.outcome);
    else this.clearOutcome();
    this.updateSubmitState();
    void this.prepare(task);
  }

  private renderDiagnosis(task: ClusterTask): void {
    const saved = loadChoices(this.lab.id, task.id);
    const options = (
      fieldset: HTMLFieldSetElement,
      name: string,
      legend: string,
      list: { id: string; label: string }[],
      chosen?: string,
    ) => {
      required<HTMLElement>(fieldset, 'legend').textContent = legend;
      const box = required<HTMLElement>(fieldset, '.db-options');
      box.replaceChildren(
        ...list.map((option) => {
          const id = uniqueId(`db-${name}`);
          return el(
            'div',
            { class: 'db-option' },
            el('input', { type: 'radio', id, name: `db-${name}`, value: option.id, checked: option.id === chosen }),
            el('label', { for: id }, option.label),
          );
        }),
      );
    };
    options(this.ui.triage, 'triage', `1. Triage: ${task.triage.question}`, task.triage.options, saved.triage);
    options(this.ui.cause, 'cause', `2. Cause: ${task.cause.question}`, task.cause.options, saved.cause);
    options(this.ui.remedy, 'remedy', '3. Remediation: which change do you make?', task.remediations, saved.remedy);
    this.ui.evidenceLabel.replaceChildren(
      task.editorLabel,
      ' ',
      el('span', { class: 'muted' }, '(PromQL, evaluated at the end of the incident window; Ctrl+Enter runs)'),
    );
    this.evidence?.destroy();
    this.evidence = createPromqlEditor({
      parent: this.ui.evidenceEditor,
      label: `${task.editorLabel} for task: ${task.title}`,
      code: loadCode(this.lab.id, task.id) ?? task.starter,
      onChange: (code) => {
        saveCode(this.lab.id, task.id, code);
        this.updateSubmitState();
      },
      onRun: () => void this.startRun(),
      minHeight: '3.5rem',
      client: this.client,
      checkQuery,
      onCheck: (problem) => {
        this.ui.syntax.textContent = problem ? `Line ${problem.line ?? 1}, column ${problem.column ?? 1}: ${problem.message}` : '';
        this.ui.syntax.classList.toggle('form-error', problem !== null);
      },
    });
  }

  private choices(): Partial<Choices> {
    const picked = (fieldset: HTMLFieldSetElement) => fieldset.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.value;
    const out: Partial<Choices> = {};
    const triage = picked(this.ui.triage);
    const cause = picked(this.ui.cause);
    const remedy = picked(this.ui.remedy);
    if (triage) out.triage = triage;
    if (cause) out.cause = cause;
    if (remedy) out.remedy = remedy;
    return out;
  }

  private resetToStarter(): void {
    const editor = this.evidence;
    if (!editor || editor.getCode() === this.task.starter) return;
    if (!confirm('Replace your evidence query with the starting text? Ctrl+Z in the editor brings it back until you leave the page.'))
      return;
    editor.replaceCode(this.task.starter);
    forgetCode(this.lab.id, this.task.id);
    editor.focus();
  }

  // --- the simulated cluster -------------------------------------------------------------------

  private async seedFor(task: ClusterTask): Promise<SeedChoice> {
    const known = this.seeds.get(task.id);
    if (known) return known;
    const signed = await signedSeed(this.lab.id, task.id, this.lab.version, this.ui.submitStatus);
    const chosen = signed ?? { seed: this.anonymousSeed, token: null };
    if (signed || !isSignedIn()) this.seeds.set(task.id, chosen);
    return chosen;
  }

  private target(variant = this.variant): ClusterTarget {
    return { taskId: this.task.id, variant };
  }

  /** Simulates the task's incident in the worker, then draws the dashboards and loads completion. */
  private async prepare(task: ClusterTask): Promise<void> {
    const generation = this.generation;
    const { seed } = await this.seedFor(task);
    this.statusTarget = this.ui.scenarioStatus;
    this.ui.scenarioStatus.className = 'db-scenario-status';
    this.ui.scenarioStatus.textContent = 'Simulating the cluster…';
    this.dashboard?.destroy();
    this.dashboard = null;
    this.ui.dashboard.replaceChildren();
    const reply = await this.session.scenario({ labId: this.lab.id, taskId: task.id, variant: INCIDENT, seed });
    if (generation !== this.generation) return;
    if (!reply.ok || !reply.value.ok) {
      const why = reply.ok ? (reply.value.ok ? '' : reply.value.error) : reply.message;
      this.ui.scenarioStatus.className = 'db-scenario-status form-error';
      this.ui.scenarioStatus.textContent = `The cluster could not be simulated: ${why}`;
      return;
    }
    const { start, end, series, samples, simulatedMs } = reply.value;
    this.spans.set(task.id, { start, end });
    const focus = { start: task.scenario.startMs + task.focus.fromMs, end: task.scenario.startMs + task.focus.toMs };
    this.ranges = timeRanges({ start, end }, focus);
    this.ui.range.replaceChildren(
      ...this.ranges.map((r, i) =>
        el('option', { value: String(i), selected: i === 0 }, `${r.label} (${formatTime(r.start)} to ${formatTime(r.end)})`),
      ),
    );
    this.ui.scenarioStatus.textContent = `Cluster simulated in ${(simulatedMs / 1000).toFixed(1)} s: ${formatSpan(end - start)}, ${series.toLocaleString('en')} series, ${samples.toLocaleString('en')} samples. The incident window is ${formatTime(focus.start)} to ${formatTime(focus.end)}.`;
    await this.showDashboard();
    if (!this.snapshotLoaded) void this.loadSnapshot(task, seed);
  }

  private async loadSnapshot(task: ClusterTask, seed: number): Promise<void> {
    const described = await this.session.telemetry(this.lab.id, seed, { taskId: task.id, variant: INCIDENT });
    if (!described.ok) return;
    this.snapshotLoaded = true;
    this.resolveSnapshot({ metrics: described.value.metrics, series: described.value.series });
  }

  private showStatus(message: string): void {
    this.statusTarget.textContent = message;
  }

  // --- dashboards ------------------------------------------------------------------------------

  private buildDashboardTabs(): void {
    const tabs = DASHBOARDS.map((d, i) =>
      el(
        'button',
        {
          type: 'button',
          role: 'tab',
          'aria-selected': i === 0 ? 'true' : 'false',
          tabindex: i === 0 ? '0' : '-1',
          'data-dashboard-id': d.id,
        },
        d.title,
      ),
    );
    this.ui.dashboardTabs.replaceChildren(...tabs);
    const select = (tab: HTMLButtonElement) => {
      for (const other of tabs) {
        const on = other === tab;
        other.setAttribute('aria-selected', String(on));
        other.tabIndex = on ? 0 : -1;
      }
      this.dashboardId = tab.dataset['dashboardId'] ?? this.dashboardId;
      void this.showDashboard();
    };
    for (const [index, tab] of tabs.entries()) {
      tab.addEventListener('click', () => select(tab));
      tab.addEventListener('keydown', (event) => {
        const target = arrowTarget(event.key, index, tabs.length);
        if (target === null) return;
        event.preventDefault();
        const next = tabs[target] as HTMLButtonElement;
        next.focus();
        select(next);
      });
    }
  }

  private source(variant: string): DashboardSource {
    const task = this.task;
    return {
      rangeQuery: async (query, start, end, step) => {
        const { seed } = await this.seedFor(task);
        const result = await this.session.query({ labId: this.lab.id, seed, query, start, end, step, taskId: task.id, variant });
        return result.ok ? { ok: true, value: result.value } : { ok: false, message: result.message };
      },
    };
  }

  private async showDashboard(): Promise<void> {
    const dashboard = DASHBOARDS.find((d) => d.id === this.dashboardId);
    const range = this.ranges[Number(this.ui.range.value)] ?? this.ranges[0];
    if (!dashboard || !range) return;
    this.dashboard?.destroy();
    const view = new DashboardView(this.ui.dashboard, dashboard, this.source(this.variant));
    this.dashboard = view;
    this.ui.dashboard.setAttribute('aria-busy', 'true');
    await view.show(range);
    if (this.dashboard === view) this.ui.dashboard.removeAttribute('aria-busy');
  }

  /** The run selector: the incident, and once a remediation ran, its re-run. */
  private renderVariants(remedy: string | null): void {
    const label = this.task.remediations.find((r) => r.id === remedy)?.label;
    this.ui.variant.replaceChildren(
      el('option', { value: INCIDENT, selected: this.variant === INCIDENT }, 'The incident'),
      ...(remedy && label ? [el('option', { value: remedy, selected: this.variant === remedy }, `After: ${label}`)] : []),
    );
    this.ui.variant.disabled = !remedy;
    this.ui.variantNote.textContent = remedy
      ? 'Switch Showing to compare the incident with the re-run of your remediation (same seed, same time range).'
      : 'After you run a remediation, its re-run can be shown here next to the incident.';
  }

  private async showVariant(): Promise<void> {
    if (this.variant !== INCIDENT) {
      const { seed } = await this.seedFor(this.task);
      this.statusTarget = this.ui.scenarioStatus;
      const reply = await this.session.scenario({ labId: this.lab.id, taskId: this.task.id, variant: this.variant, seed });
      if (!reply.ok || !reply.value.ok) {
        this.ui.variantNote.textContent = `The re-run could not be simulated: ${reply.ok ? (reply.value.ok ? '' : reply.value.error) : reply.message}`;
        return;
      }
      this.ui.scenarioStatus.textContent = 'Showing the re-run with your remediation.';
    } else this.ui.scenarioStatus.textContent = 'Showing the incident.';
    await this.showDashboard();
  }

  // --- explorer --------------------------------------------------------------------------------

  private async explore(mode: 'instant' | 'range'): Promise<void> {
    const query = this.explorer?.getCode() ?? '';
    const task = this.task;
    const { seed } = await this.seedFor(task);
    const range = this.ranges[Number(this.ui.range.value)] ?? this.ranges[0];
    this.explorerView?.destroy();
    this.ui.explorerInstant.disabled = true;
    this.ui.explorerGraph.disabled = true;
    this.statusTarget = this.ui.explorerStatus;
    this.ui.explorerStatus.textContent = 'Evaluating…';
    const step = range ? Math.max(15_000, Math.ceil((range.end - range.start) / 360 / 15_000) * 15_000) : 15_000;
    const base = { labId: this.lab.id, seed, query, ...this.target() };
    const result =
      mode === 'instant' || !range
        ? await this.session.query(base)
        : await this.session.query({ ...base, start: range.start, end: range.end, step });
    this.ui.explorerInstant.disabled = false;
    this.ui.explorerGraph.disabled = false;
    if (!result.ok) {
      this.ui.explorerStatus.textContent = result.stopped ? result.message : `The query failed: ${result.message}`;
      return;
    }
    const which = this.variant === INCIDENT ? 'the incident' : 'the re-run with your remediation';
    this.ui.explorerStatus.textContent =
      mode === 'instant' || !range
        ? `Instant query on ${which} at the end of the incident window:`
        : `Range query on ${which}, ${range.label.toLowerCase()}, one point every ${step / 1000} s:`;
    this.explorerView = renderQueryOutcome(this.ui.explorerOutput, result.value, mode === 'instant' ? 'Query result' : 'Query graph');
  }

  // --- running ---------------------------------------------------------------------------------

  private async startRun(): Promise<void> {
    if (this.running) return;
    const task = this.task;
    const code = this.evidence?.getCode() ?? '';
    const picked = this.choices();
    const missing = [!picked.triage && 'a triage signal', !picked.cause && 'a cause', !picked.remedy && 'a remediation'].filter(Boolean);
    if (missing.length > 0) {
      this.ui.runStatus.textContent = `Choose ${missing.join(', ')} first.`;
      return;
    }
    if (code.trim() === '') {
      this.ui.runStatus.textContent = 'Write the evidence query first: a PromQL query whose result shows the cause.';
      return;
    }
    const choices = picked as Choices;
    this.setRunning(true);
    this.statusTarget = this.ui.runStatus;
    this.ui.submitStatus.textContent = '';
    this.ui.runStatus.textContent = 'Grading: evaluating your evidence and re-running the cluster with your remediation…';
    const { seed, token } = await this.seedFor(task);
    const started = performance.now();
    const result = await this.session.run({
      type: 'run',
      labId: this.lab.id,
      taskId: task.id,
      code,
      seed,
      answer: null,
      files: { ...choices },
    });
    this.setRunning(false);
    if (this.task !== task) return;
    if (!result.ok) {
      this.ui.runStatus.textContent = result.stopped ? result.message : `The run failed: ${result.message}`;
      return;
    }
    if (result.value.kind !== 'cluster') {
      this.ui.runStatus.textContent = 'The lab runtime sent the result of another kind of task.';
      return;
    }
    const seconds = (performance.now() - started) / 1000;
    // A re-run of the same diagnosis answers from the worker's cached clusters at once.
    this.ui.runStatus.textContent = seconds < 0.1 ? 'Graded (both clusters were already simulated).' : `Graded in ${seconds.toFixed(1)} s.`;
    this.lastRuns.set(task.id, { outcome: result.value, code, choices, token });
    this.checklist.recordLocal(task.id, result.value.verdict);
    this.showOutcome(result.value);
    this.evidence?.showProblems(result.value.evidence.outcome.ok ? [] : [result.value.evidence.outcome.error]);
    this.renderVariants(choices.remedy);
    this.updateSubmitState();
  }

  private setRunning(running: boolean): void {
    this.running = running;
    this.ui.run.disabled = running;
    this.ui.stop.disabled = !running;
    this.ui.run.textContent = running ? 'Running…' : 'Run';
    this.root.toggleAttribute('data-running', running);
    if (!running && document.activeElement === this.ui.stop) this.ui.run.focus();
    this.updateSubmitState();
  }

  // --- results ---------------------------------------------------------------------------------

  private clearOutcome(): void {
    for (const view of this.views) view.destroy();
    this.views = [];
    this.ui.verdict.replaceChildren();
    this.ui.verdict.className = 'wb-verdict';
    this.ui.output.replaceChildren();
    this.ui.results.hidden = true;
  }

  private showOutcome(outcome: ClusterOutcome): void {
    this.clearOutcome();
    const task = this.task;
    const { pass, message } = outcome.verdict;
    this.ui.verdict.className = `wb-verdict ${pass ? 'is-pass' : 'is-fail'}`;
    this.ui.verdict.append(el('p', {}, el('strong', {}, pass ? '✓ Task passed locally. ' : '✗ Not passed yet. '), message));
    if (!pass) this.ui.verdict.append(el('p', { class: 'wb-hint' }, el('strong', {}, 'Hint: '), task.hint));
    this.ui.results.hidden = false;
    const label = (list: { id: string; label: string }[], id: string) => list.find((o) => o.id === id)?.label ?? id;
    const mark = (ok: boolean) => el('span', { class: ok ? 'db-pass' : 'db-fail' }, ok ? '✓ ' : '✗ ');
    const { slo } = task;
    const sli = (v: number | null) => (v === null ? 'no data' : formatSli(v, slo.unit));
    const evidenceBox = el('div', { class: 'wb-query-output' });
    const steps = el(
      'ol',
      { class: 'db-steps' },
      el(
        'li',
        { 'data-step': 'triage' },
        el('p', {}, mark(outcome.triage.pass), el('strong', {}, 'Triage: '), label(task.triage.options, outcome.triage.chosen)),
        el('p', { class: 'muted' }, outcome.triage.explanation),
      ),
      el(
        'li',
        { 'data-step': 'cause' },
        el('p', {}, mark(outcome.cause.pass), el('strong', {}, 'Cause: '), label(task.cause.options, outcome.cause.chosen)),
        el('p', { class: 'muted' }, outcome.cause.explanation),
        el('p', { 'data-step': 'evidence' }, mark(outcome.evidence.pass), el('strong', {}, 'Evidence: '), outcome.evidence.message),
        el(
          'p',
          { class: 'muted' },
          `Your query at ${formatTime(outcome.evidence.time)}: `,
          el('code', {}, outcome.evidence.query.trim().slice(0, 300)),
        ),
        evidenceBox,
      ),
      el(
        'li',
        { 'data-step': 'remediation' },
        el(
          'p',
          {},
          mark(outcome.remediation.pass),
          el('strong', {}, 'Remediation: '),
          label(task.remediations, outcome.remediation.chosen),
        ),
        el('p', { class: 'muted' }, outcome.remediation.explanation),
        el(
          'p',
          { 'data-slo-result': '' },
          `${slo.name} over the incident window: ${sli(outcome.remediation.sloBefore)} before, ${sli(outcome.remediation.sloAfter)} after the remediation (objective ${slo.comparison === '>=' ? '≥' : '≤'} ${formatSli(slo.objective, slo.unit)}): `,
          el('strong', {}, outcome.remediation.sloHeld ? 'the SLO held.' : 'the SLO still breaks.'),
        ),
      ),
    );
    this.ui.output.append(steps);
    this.views.push(renderQueryOutcome(evidenceBox, outcome.evidence.outcome, 'Evidence query'));
  }

  // --- submitting ------------------------------------------------------------------------------

  private submittable(): LastRun | null {
    const last = this.lastRuns.get(this.task.id);
    if (!last) return null;
    const now = this.choices();
    const same =
      last.code === (this.evidence?.getCode() ?? '') &&
      last.choices.triage === now.triage &&
      last.choices.cause === now.cause &&
      last.choices.remedy === now.remedy;
    return same ? last : null;
  }

  private updateSubmitState(): void {
    if (!isSignedIn()) {
      this.ui.submit.disabled = true;
      this.ui.submitNote.textContent = 'Runs here are private to your browser; sign in to have the server verify them.';
      return;
    }
    const last = this.submittable();
    this.ui.submit.disabled = !(last !== null && last.token !== null && !this.running && !this.submitting);
    if (this.running) this.ui.submitNote.textContent = '';
    else if (!last) this.ui.submitNote.textContent = 'Run your diagnosis to submit it: the server re-runs exactly that.';
    else if (last.token === null) this.ui.submitNote.textContent = 'This run was local only; run it again to get a verifiable seed.';
    else this.ui.submitNote.textContent = '';
  }

  private async submit(): Promise<void> {
    const last = this.submittable();
    if (!last || last.token === null || this.submitting) return;
    this.submitting = true;
    this.updateSubmitState();
    await submitForVerification(
      this.lab.id,
      {
        version: last.outcome.labVersion,
        taskId: last.outcome.taskId,
        seed: last.outcome.seed,
        token: last.token,
        code: last.code,
        answer: null,
        digest: last.outcome.digest,
        files: { ...last.choices },
      },
      this.ui.submitStatus,
      this.checklist,
      'your diagnosis on the same cluster',
    );
    this.submitting = false;
    this.updateSubmitState();
  }
}

function arrowTarget(key: string, index: number, count: number): number | null {
  const last = count - 1;
  const target = { ArrowRight: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1, Home: 0, End: last }[key];
  return target ?? null;
}

/** An SLI for people: a ratio as a percentage (0.9912 → 99.12%), anything else with its unit. */
export function formatSli(v: number, unit: string): string {
  if (unit === 'ratio') return `${Number((v * 100).toPrecision(4))}%`;
  return `${Number(v.toPrecision(4))} ${unit}`;
}

function formatSpan(ms: number): string {
  const days = ms / 86_400_000;
  if (days >= 1) return `${Number(days.toFixed(1))} days`;
  return `${Number((ms / 3_600_000).toFixed(1))} hours`;
}

export function setUpClusterWorkbench(): void {
  const root = document.querySelector<HTMLElement>('[data-workbench]');
  if (!root) return;
  new ClusterWorkbench(root, readLabData()).start();
}
