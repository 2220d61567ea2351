// The workbench of labs on telemetry (the SLO lab): task tabs; per task its editors (PromQL with
// completion of the lab's metric and label names, or YAML for rule files, unit tests and slo.yaml);
// Run, which evaluates what the learner wrote in the lab worker and grades it there; the result of
// the task's kind (query tables and graphs, alert state bands and unit-test output, the quality
// gate's objectives and score); submission for server verification; and a query explorer for
// instant tables and range graphs. Plain DOM on the markup of src/pages/labs/[lab].astro, like
// the k6 workbench (workbench.ts), whose answer field, checklist, storage and API it shares.
import { parseQuery } from '../../../labs/runtime/promql/index.ts';
import { type PublicLab, PublicLabSchema, type PublicTask } from '../../features/labs/public-lab.ts';
import type { TaskOutcomeView } from '../../features/labs/workbench-messages.ts';
import { type AnswerField, renderAnswerField } from './answer.ts';
import { Checklist } from './checklist.ts';
import { el, required, uniqueId } from './dom.ts';
import { renderGateResult } from './gate-view.ts';
import { LabSession } from './lab-session.ts';
import {
  createPromqlEditor,
  createYamlEditor,
  type SeriesSnapshot,
  SnapshotPrometheusClient,
  type TextEditor,
  type TextProblem,
} from './promql-editor.ts';
import { graphStep } from './query-format.ts';
import { type QueryView, renderQueryOutcome } from './query-view.ts';
import { renderRulesResult } from './rules-view.ts';
import { randomSeed } from './runner.ts';
import { forgetCode, loadCode, saveCode } from './storage.ts';
import { isSignedIn, signedSeed, submitForVerification } from './verification.ts';

// Cluster tasks have their own workbench (cluster-workbench.ts).
type TelemetryTask = Exclude<PublicTask, { kind: 'k6' | 'cluster' }>;

interface FileEditor {
  name: string;
  label: string;
  language: 'promql' | 'yaml';
  starter: string;
  editor: TextEditor;
}

interface LastRun {
  outcome: TaskOutcomeView;
  code: string;
  files: Record<string, string>;
  answer: string | null;
  token: string | null;
}

/** Range choices of the graphs: how far back from the end of the telemetry. */
const RANGES: { label: string; ms: number }[] = [
  { label: 'last hour', ms: 3_600_000 },
  { label: 'last 6 hours', ms: 6 * 3_600_000 },
  { label: 'last day', ms: 86_400_000 },
  { label: 'last 7 days', ms: 7 * 86_400_000 },
  { label: 'last 30 days', ms: 30 * 86_400_000 },
];

const fileKey = (taskId: string, name: string) => (name === 'main' ? taskId : `${taskId}--${name}`);

function readLabData(): PublicLab {
  const script = document.getElementById('lab-data');
  const parsed = PublicLabSchema.safeParse(JSON.parse(script?.textContent ?? 'null'));
  if (!parsed.success) throw new Error('workbench: the lab data on the page is missing or invalid');
  return parsed.data;
}

/** The engine's parse check, on the main thread (lezer is fast; the worker may be busy generating data). */
function checkQuery(query: string): Promise<TextProblem | null> {
  const parsed = parseQuery(query);
  return Promise.resolve(parsed.ok ? null : { message: parsed.error.message, line: parsed.error.line, column: parsed.error.column });
}

class TelemetryWorkbench {
  private readonly lab: PublicLab;
  private readonly root: HTMLElement;
  private readonly tabs: HTMLButtonElement[];
  private readonly panel: HTMLElement;
  private readonly ui: {
    editors: HTMLElement;
    answer: HTMLElement;
    run: HTMLButtonElement;
    stop: HTMLButtonElement;
    reset: HTMLButtonElement;
    submit: HTMLButtonElement;
    submitNote: HTMLElement;
    submitStatus: HTMLElement;
    runStatus: HTMLElement;
    verdict: HTMLElement;
    results: HTMLElement;
    output: HTMLElement;
    explorerEditor: HTMLElement;
    explorerRange: HTMLSelectElement;
    explorerInstant: HTMLButtonElement;
    explorerGraph: HTMLButtonElement;
    explorerStatus: HTMLElement;
    explorerOutput: HTMLElement;
  };
  private readonly session = new LabSession((message) => this.showStatus(message));
  private readonly checklist: Checklist;
  private readonly answers = new Map<string, string | null>();
  private readonly lastRuns = new Map<string, LastRun>();
  private readonly seeds = new Map<string, { seed: number; token: string | null }>();
  private readonly anonymousSeed = randomSeed();
  private readonly client: SnapshotPrometheusClient;
  private resolveSnapshot: (snapshot: SeriesSnapshot) => void = () => undefined;
  private task: TelemetryTask;
  private editors: FileEditor[] = [];
  private answerField: AnswerField | null = null;
  private explorer: TextEditor | null = null;
  private views: QueryView[] = [];
  private explorerView: QueryView | null = null;
  private running = false;
  private submitting = false;
  private statusTarget: HTMLElement;
  /** Whether completion has its snapshot; a stopped or failed load is retried by the next query. */
  private snapshotLoaded = false;

  constructor(root: HTMLElement, lab: PublicLab) {
    this.root = root;
    this.lab = lab;
    const first = lab.tasks.find((t): t is TelemetryTask => t.kind !== 'k6' && t.kind !== 'cluster');
    if (!first) throw new Error('workbench: the lab has no telemetry tasks');
    this.task = first;
    this.tabs = [...root.querySelectorAll<HTMLButtonElement>('[role="tab"][data-task]')];
    this.panel = required(root, '[role="tabpanel"]');
    this.ui = {
      editors: required(root, '[data-editors]'),
      answer: required(root, '[data-answer]'),
      run: required(root, '[data-run]'),
      stop: required(root, '[data-stop]'),
      reset: required(root, '[data-reset]'),
      submit: required(root, '[data-submit]'),
      submitNote: required(root, '[data-submit-note]'),
      submitStatus: required(root, '[data-submit-status]'),
      runStatus: required(root, '[data-run-status]'),
      verdict: required(root, '[data-verdict]'),
      results: required(root, '[data-results]'),
      output: required(root, '[data-output]'),
      explorerEditor: required(root, '[data-explorer-editor]'),
      explorerRange: required(root, '[data-explorer-range]'),
      explorerInstant: required(root, '[data-explorer-instant]'),
      explorerGraph: required(root, '[data-explorer-graph]'),
      explorerStatus: required(root, '[data-explorer-status]'),
      explorerOutput: required(root, '[data-explorer-output]'),
    };
    this.statusTarget = this.ui.runStatus;
    // Completion asks the client before the snapshot arrives: its answers wait for it.
    const snapshot = new Promise<SeriesSnapshot>((resolve) => {
      this.resolveSnapshot = resolve;
    });
    this.client = new LazySnapshotClient(snapshot);
    this.checklist = new Checklist(required(document, '[data-checklist-root]'), lab.id, lab.tasks, (id) => this.selectTask(id, true));
  }

  start(): void {
    this.wireTabs();
    this.ui.run.addEventListener('click', () => void this.startRun());
    this.ui.stop.addEventListener('click', () => this.session.stop('Stopped.'));
    this.ui.reset.addEventListener('click', () => this.resetToStarter());
    this.ui.submit.addEventListener('click', () => void this.submit());
    for (const [i, range] of RANGES.entries())
      this.ui.explorerRange.append(el('option', { value: String(i), selected: i === 3 }, range.label));
    this.ui.explorerInstant.addEventListener('click', () => void this.explore('instant'));
    this.ui.explorerGraph.addEventListener('click', () => void this.explore('range'));
    this.explorer = createPromqlEditor({
      parent: this.ui.explorerEditor,
      label: 'PromQL query to explore the telemetry',
      code: loadCode(this.lab.id, 'explorer') ?? 'sum by (code) (rate(http_requests_total[5m]))',
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
    const linked = this.lab.tasks.find((t) => t.id === fromHash);
    this.selectTask(linked?.id ?? this.task.id, false, false);
    void this.loadSnapshot();
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

  private selectTask(taskId: string, focusTab: boolean, linkable = true): void {
    const task = this.lab.tasks.find((t): t is TelemetryTask => t.id === taskId && t.kind !== 'k6' && t.kind !== 'cluster');
    if (!task) return;
    if (task === this.task && this.editors.length > 0) {
      if (focusTab) this.tabs.find((tab) => tab.dataset['task'] === task.id)?.focus();
      return;
    }
    if (this.running) this.session.stop('you switched to another task');
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
    this.renderEditors(task);
    this.answerField = renderAnswerField(this.ui.answer, task, this.answers.get(task.id) ?? null, (value) => {
      this.answers.set(task.id, value);
      this.updateSubmitState();
    });
    this.ui.runStatus.textContent = '';
    this.ui.submitStatus.textContent = '';
    const last = this.lastRuns.get(task.id);
    if (last) this.showOutcome(last.outcome);
    else this.clearOutcome();
    this.updateSubmitState();
  }

  private renderEditors(task: TelemetryTask): void {
    for (const file of this.editors) file.editor.destroy();
    this.ui.editors.replaceChildren();
    const files = [
      {
        name: 'main',
        label: task.editorLabel,
        language: task.kind === 'promql' ? ('promql' as const) : ('yaml' as const),
        starter: task.starter,
      },
      ...task.files.map((f) => ({ name: f.name, label: f.label, language: f.language, starter: f.starter })),
    ];
    this.editors = files.map((file) => {
      const labelId = uniqueId('wb-file');
      const check = el('p', { class: 'wb-syntax', role: 'status' });
      const parent = el('div', { class: 'wb-editor' });
      this.ui.editors.append(
        el(
          'div',
          { class: 'wb-file' },
          el(
            'p',
            { class: 'wb-editor-label', id: labelId },
            file.label,
            ' ',
            el('span', { class: 'muted' }, file.language === 'promql' ? '(PromQL; Ctrl+Enter runs)' : '(YAML)'),
          ),
          parent,
          check,
        ),
      );
      const options = {
        parent,
        label: `${file.label} for task: ${task.title}`,
        code: loadCode(this.lab.id, fileKey(task.id, file.name)) ?? file.starter,
        onChange: (code: string) => {
          saveCode(this.lab.id, fileKey(task.id, file.name), code);
          this.updateSubmitState();
        },
        onRun: () => void this.startRun(),
      };
      const editor =
        file.language === 'promql'
          ? createPromqlEditor({
              ...options,
              minHeight: '3.5rem',
              client: this.client,
              checkQuery,
              onCheck: (problem) => {
                check.textContent = problem ? `Line ${problem.line ?? 1}, column ${problem.column ?? 1}: ${problem.message}` : '';
                check.classList.toggle('form-error', problem !== null);
              },
            })
          : createYamlEditor({ ...options, minHeight: '12rem' });
      return { ...file, editor };
    });
  }

  private texts(): { code: string; files: Record<string, string> } {
    const [main, ...rest] = this.editors;
    return { code: main?.editor.getCode() ?? '', files: Object.fromEntries(rest.map((f) => [f.name, f.editor.getCode()])) };
  }

  private resetToStarter(): void {
    const changed = this.editors.some((f) => f.editor.getCode() !== f.starter);
    if (!changed) return;
    if (
      !confirm(
        'Replace what you wrote in this task’s editors with the starting text? Ctrl+Z in an editor brings it back until you leave the page.',
      )
    )
      return;
    for (const file of this.editors) {
      file.editor.replaceCode(file.starter);
      forgetCode(this.lab.id, fileKey(this.task.id, file.name));
    }
    this.editors[0]?.editor.focus();
  }

  // --- data ------------------------------------------------------------------------------------

  /** Signed in: a seed the server signed (kept per task, so the data stays the same while you work); else one per page. */
  private async seedFor(task: TelemetryTask): Promise<{ seed: number; token: string | null }> {
    const known = this.seeds.get(task.id);
    if (known) return known;
    const signed = await signedSeed(this.lab.id, task.id, this.lab.version, this.ui.submitStatus);
    const chosen = signed ?? { seed: this.anonymousSeed, token: null };
    // A failed request for a seed is asked again next time; signed out, the page's seed stays.
    if (signed || !isSignedIn()) this.seeds.set(task.id, chosen);
    return chosen;
  }

  private async loadSnapshot(): Promise<void> {
    const { seed } = await this.seedFor(this.task);
    this.statusTarget = this.ui.explorerStatus;
    const described = await this.session.telemetry(this.lab.id, seed);
    if (!described.ok) {
      this.ui.explorerStatus.textContent = `The telemetry could not be loaded: ${described.message}`;
      return;
    }
    const { metrics, series, stats } = described.value;
    this.snapshotLoaded = true;
    this.resolveSnapshot({ metrics, series });
    this.ui.explorerStatus.textContent = `${stats.series.toLocaleString('en')} series, ${stats.samples.toLocaleString('en')} samples from ${formatDays(described.value.end - described.value.start)} of telemetry, ready.`;
  }

  private showStatus(message: string): void {
    this.statusTarget.textContent = message;
  }

  // --- explorer --------------------------------------------------------------------------------

  private async explore(mode: 'instant' | 'range'): Promise<void> {
    const query = this.explorer?.getCode() ?? '';
    const telemetry = this.lab.telemetry;
    if (!telemetry) return;
    const { seed } = await this.seedFor(this.task);
    this.explorerView?.destroy();
    this.ui.explorerInstant.disabled = true;
    this.ui.explorerGraph.disabled = true;
    this.statusTarget = this.ui.explorerStatus;
    this.ui.explorerStatus.textContent = 'Evaluating…';
    const range = RANGES[Number(this.ui.explorerRange.value)] ?? (RANGES[3] as { label: string; ms: number });
    const result =
      mode === 'instant'
        ? await this.session.query({ labId: this.lab.id, seed, query, time: telemetry.end })
        : await this.session.query({
            labId: this.lab.id,
            seed,
            query,
            start: telemetry.end - range.ms,
            end: telemetry.end,
            step: graphStep(range.ms, telemetry.scrapeIntervalMs),
          });
    this.ui.explorerInstant.disabled = false;
    this.ui.explorerGraph.disabled = false;
    if (!result.ok) {
      this.ui.explorerStatus.textContent = result.stopped ? result.message : `The query failed: ${result.message}`;
      return;
    }
    this.ui.explorerStatus.textContent =
      mode === 'instant'
        ? 'Instant query at the end of the telemetry:'
        : `Range query over the ${range.label}, one point every ${graphStep(range.ms, telemetry.scrapeIntervalMs) / 1000} s:`;
    this.explorerView = renderQueryOutcome(this.ui.explorerOutput, result.value, mode === 'instant' ? 'Query result' : 'Query graph');
    if (!this.snapshotLoaded) void this.loadSnapshot();
  }

  // --- running ---------------------------------------------------------------------------------

  private async startRun(): Promise<void> {
    if (this.running) return;
    const task = this.task;
    const { code, files } = this.texts();
    const answer = this.answerField?.value() ?? null;
    this.setRunning(true);
    this.statusTarget = this.ui.runStatus;
    this.ui.submitStatus.textContent = '';
    this.ui.runStatus.textContent = 'Preparing the run…';
    const { seed, token } = await this.seedFor(task);
    this.ui.runStatus.textContent = 'Evaluating on the telemetry…';
    const started = performance.now();
    const result = await this.session.run({
      type: 'run',
      labId: this.lab.id,
      taskId: task.id,
      code,
      seed,
      answer,
      ...(Object.keys(files).length > 0 ? { files } : {}),
    });
    this.setRunning(false);
    if (this.task !== task) return;
    if (!result.ok) {
      this.ui.runStatus.textContent = result.stopped ? result.message : `The run failed: ${result.message}`;
      return;
    }
    this.ui.runStatus.textContent = `Finished in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
    this.lastRuns.set(task.id, { outcome: result.value, code, files, answer, token });
    this.checklist.recordLocal(task.id, result.value.verdict);
    this.showOutcome(result.value);
    this.markProblems(result.value);
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

  private showOutcome(outcome: TaskOutcomeView): void {
    this.clearOutcome();
    const { pass, message } = outcome.verdict;
    this.ui.verdict.className = `wb-verdict ${pass ? 'is-pass' : 'is-fail'}`;
    this.ui.verdict.append(el('p', {}, el('strong', {}, pass ? '✓ Task passed locally. ' : '✗ Not passed yet. '), message));
    if (!pass) this.ui.verdict.append(el('p', { class: 'wb-hint' }, el('strong', {}, 'Hint: '), this.task.hint));
    this.ui.results.hidden = false;
    if (outcome.kind === 'promql') this.showQueries(outcome.promql);
    const fileLabel = (file: string) => (file === 'main' ? this.task.editorLabel : file);
    if (outcome.kind === 'rules') renderRulesResult(this.ui.output, outcome.rules, fileLabel);
    else if (outcome.kind === 'quality-gate') renderGateResult(this.ui.output, outcome.gate, fileLabel);
  }

  /** A run's problems as diagnostics in the editor they belong to, at their line and column. */
  private markProblems(outcome: TaskOutcomeView): void {
    const problems = new Map<string, TextProblem[]>(this.editors.map((f) => [f.name, []]));
    // Issues name the first editor `main` or by the name the task gives it (e.g. the rule file's).
    const add = (file: string, problem: TextProblem) => (problems.get(file) ?? problems.get('main'))?.push(problem);
    if (outcome.kind === 'promql') for (const query of outcome.promql.queries) if (!query.outcome.ok) add(query.name, query.outcome.error);
    if (outcome.kind === 'rules') for (const issue of outcome.rules.issues) add(issue.file, issue);
    if (outcome.kind === 'quality-gate') {
      // Every build reads the same files: the first build's problems stand for all.
      for (const issue of outcome.gate.builds[0]?.issues ?? []) add(issue.file, issue);
    }
    for (const file of this.editors) file.editor.showProblems(problems.get(file.name) ?? []);
  }

  private showQueries(result: Extract<TaskOutcomeView, { kind: 'promql' }>['promql']): void {
    for (const query of result.queries) {
      const label =
        query.name === 'main' ? this.task.editorLabel : (this.task.files.find((f) => f.name === query.name)?.label ?? query.name);
      const box = el('div', { class: 'wb-query-output' });
      const graphBox = el('div', { class: 'wb-query-output' });
      const graph = el('button', { type: 'button', class: 'secondary' }, 'Graph it over the last 7 days');
      graph.addEventListener('click', () => void this.graphQuery(query.query, graphBox, label, graph));
      const id = uniqueId('wb-query');
      this.ui.output.append(
        el(
          'section',
          { class: 'wb-query-result', 'aria-labelledby': id },
          el('h5', { id }, label),
          el('p', { class: 'muted' }, 'Instant query at the end of the telemetry, ', el('code', {}, query.query.trim().slice(0, 300))),
          box,
          query.outcome.ok && el('p', {}, graph),
          graphBox,
        ),
      );
      this.views.push(renderQueryOutcome(box, query.outcome, label));
    }
  }

  private async graphQuery(query: string, container: HTMLElement, label: string, button: HTMLButtonElement): Promise<void> {
    const telemetry = this.lab.telemetry;
    if (!telemetry) return;
    const { seed } = await this.seedFor(this.task);
    const span = RANGES[3]?.ms ?? 7 * 86_400_000;
    button.disabled = true;
    container.replaceChildren(el('p', { role: 'status' }, 'Evaluating the range query…'));
    const result = await this.session.query({
      labId: this.lab.id,
      seed,
      query,
      start: telemetry.end - span,
      end: telemetry.end,
      step: graphStep(span, telemetry.scrapeIntervalMs),
    });
    button.disabled = false;
    if (!result.ok) {
      container.replaceChildren(el('p', { class: 'form-error' }, result.message));
      return;
    }
    this.views.push(renderQueryOutcome(container, result.value, `${label} over 7 days`));
  }

  // --- submitting ------------------------------------------------------------------------------

  private submittable(): LastRun | null {
    const last = this.lastRuns.get(this.task.id);
    if (!last) return null;
    const { code, files } = this.texts();
    const same = last.code === code && JSON.stringify(last.files) === JSON.stringify(files);
    return same && last.answer === (this.answerField?.value() ?? null) ? last : null;
  }

  private updateSubmitState(): void {
    if (!isSignedIn()) {
      this.ui.submit.disabled = true;
      this.ui.submitNote.textContent = 'Runs here are private to your browser; sign in to have the server verify them.';
      return;
    }
    const last = this.submittable();
    const ready = last !== null && last.token !== null && !this.running && !this.submitting;
    this.ui.submit.disabled = !ready;
    if (this.running) this.ui.submitNote.textContent = '';
    else if (!last) this.ui.submitNote.textContent = 'Run what you wrote to submit it: the server re-runs exactly that.';
    else if (last.token === null) this.ui.submitNote.textContent = 'This run was local only; run it again to get a verifiable seed.';
    else this.ui.submitNote.textContent = '';
  }

  private async submit(): Promise<void> {
    const last = this.submittable();
    if (!last || last.token === null || this.submitting) return;
    const taskId = last.outcome.taskId;
    this.submitting = true;
    this.updateSubmitState();
    await submitForVerification(
      this.lab.id,
      {
        version: last.outcome.labVersion,
        taskId,
        seed: last.outcome.seed,
        token: last.token,
        code: last.code,
        answer: last.answer,
        digest: last.outcome.digest,
        ...(Object.keys(last.files).length > 0 ? { files: last.files } : {}),
      },
      this.ui.submitStatus,
      this.checklist,
      'your work on the same telemetry',
    );
    this.submitting = false;
    this.updateSubmitState();
  }
}

function formatDays(ms: number): string {
  const days = ms / 86_400_000;
  return `${Number.isInteger(days) ? days : days.toFixed(1)} days`;
}

/** The snapshot client, answering only once the worker has described the telemetry. */
class LazySnapshotClient extends SnapshotPrometheusClient {
  private readonly ready: Promise<SnapshotPrometheusClient>;

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

export function setUpTelemetryWorkbench(): void {
  const root = document.querySelector<HTMLElement>('[data-workbench]');
  if (!root) return;
  new TelemetryWorkbench(root, readLabData()).start();
}
