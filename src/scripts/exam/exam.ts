// The exam attempt page (src/pages/exam/attempts/[attempt].astro): one question at a time with
// Previous / Next, an overview of every question, flags, autosave with an offline queue, a
// countdown on the server's clock, and submission. Plain DOM on top of the page's markup; the
// attempt comes from the page's JSON script element.
import { el } from '../workbench/dom.ts';
import { isAnswered, listNumbers, reconcileQueue, retryDelay, summarise } from './answers.ts';
import { announcementDue, formatRemaining, ServerClock } from './countdown.ts';
import { type ItemView, renderItem } from './item-views.ts';
import { readStoredQueue, SaveQueue, type SaveState } from './save-queue.ts';
import { type Answer, type CandidateAttempt, CandidateAttemptSchema, type CandidateItem, errorText, SubmitReplySchema } from './schemas.ts';

interface ItemState {
  item: CandidateItem;
  answer: Answer | null;
  flagged: boolean;
  /** The latest change's revision: the server's at load, plus one per change since. */
  revision: number;
  view: ItemView;
  gridButton: HTMLButtonElement;
}

type SubmitOutcome = { ok: true; resultUrl: string } | { ok: false; status: number; error: string };

const LOW_TIME_MS = 5 * 60_000;

function required<T extends Element>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`exam: missing ${selector}`);
  return found;
}

function readAttempt(): CandidateAttempt {
  const script = document.getElementById('attempt-data');
  const parsed = CandidateAttemptSchema.safeParse(JSON.parse(script?.textContent ?? 'null'));
  if (!parsed.success) throw new Error('exam: the attempt data on the page is missing or invalid');
  return parsed.data;
}

/** When the page (and the server time in it) arrived, on the local clock. */
function pageArrivedAt(): number {
  const now = Date.now();
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const at = navigation ? performance.timeOrigin + navigation.responseStart : Number.NaN;
  return Number.isFinite(at) && at <= now && now - at < 60_000 ? at : now;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

class Exam {
  private readonly attempt: CandidateAttempt;
  private readonly deadline: number;
  private readonly clock: ServerClock;
  private readonly queue: SaveQueue;
  private readonly states: ItemState[] = [];
  private readonly ui: {
    questions: HTMLElement;
    timer: HTMLElement;
    timerBox: HTMLElement;
    timerAnnounce: HTMLElement;
    announce: HTMLElement;
    saveStatus: HTMLElement;
    alert: HTMLElement;
    prev: HTMLButtonElement;
    next: HTMLButtonElement;
    flag: HTMLButtonElement;
    grid: HTMLOListElement;
    counts: HTMLElement;
    submitOpen: HTMLButtonElement;
    dialog: HTMLDialogElement;
    summary: HTMLElement;
    warning: HTMLElement;
    confirm: HTMLButtonElement;
    cancel: HTMLButtonElement;
  };
  private current = 0;
  /** No more input: time is up, or the exam is being submitted. */
  private locked = false;
  private finishing = false;
  private tickTimer: ReturnType<typeof setTimeout> | undefined;
  private lastRemaining: number | undefined;

  constructor(root: HTMLElement, attempt: CandidateAttempt, arrivedAt: number) {
    this.attempt = attempt;
    this.deadline = Date.parse(attempt.deadline);
    this.clock = new ServerClock(Date.parse(attempt.serverNow), arrivedAt);
    this.ui = {
      questions: required(root, '[data-questions]'),
      timer: required(root, '[data-timer]'),
      timerBox: required(root, '[data-timer-box]'),
      timerAnnounce: required(root, '[data-timer-announce]'),
      announce: required(root, '[data-announce]'),
      saveStatus: required(root, '[data-save-status]'),
      alert: required(root, '[data-exam-alert]'),
      prev: required(root, '[data-prev]'),
      next: required(root, '[data-next]'),
      flag: required(root, '[data-flag]'),
      grid: required(root, '[data-grid]'),
      counts: required(root, '[data-counts]'),
      submitOpen: required(root, '[data-submit-open]'),
      dialog: required(root, '[data-submit-dialog]'),
      summary: required(root, '[data-submit-summary]'),
      warning: required(root, '[data-submit-warning]'),
      confirm: required(root, '[data-submit-confirm]'),
      cancel: required(root, '[data-submit-cancel]'),
    };
    this.queue = new SaveQueue(attempt.id, {
      onState: (state) => this.showSaveState(state),
      onCommitted: (itemId, revision, syntax) => {
        const state = this.states.find((s) => s.item.id === itemId);
        // The parse check belongs to the answer shown only when no later change is on its way.
        if (state && syntax !== undefined && revision >= state.revision) state.view.showSyntax(syntax);
        // The server may hold a newer revision (another tab): the next change must outrank it.
        if (state) state.revision = Math.max(state.revision, revision);
      },
      onServerTime: (serverNow, sentAt, receivedAt) => this.clock.observe(serverNow, sentAt, receivedAt),
      onClosed: () => void this.timeUp('Time is up: the exam has ended. Taking you to your result…'),
      onRejected: (itemId, message) => {
        const index = this.states.findIndex((s) => s.item.id === itemId);
        this.showAlert(`Question ${index + 1}: ${message}`);
      },
    });
  }

  start(): void {
    // Changes queued by an earlier visit that the server has not committed win over its copy.
    const carried = reconcileQueue(this.attempt.items, readStoredQueue(this.attempt.id));
    const total = this.attempt.items.length;
    this.attempt.items.forEach((item, index) => {
      const queued = carried.get(item.id);
      const answer = queued ? queued.answer : item.answer;
      const view = renderItem({ ...item, answer }, index, total, {
        onAnswer: (next) => this.change(index, { answer: next }),
        announce: (message) => this.announce(message),
      });
      const gridButton = el('button', { type: 'button', class: 'exam-grid-button' });
      gridButton.addEventListener('click', () => this.go(index, true));
      this.ui.grid.append(el('li', {}, gridButton));
      this.ui.questions.append(view.section);
      this.states.push({
        item,
        answer,
        flagged: queued ? queued.flagged : item.flagged,
        revision: queued ? queued.revision : item.revision,
        view,
        gridButton,
      });
      this.refreshItem(index);
    });

    this.ui.prev.addEventListener('click', () => this.go(this.current - 1, true));
    this.ui.next.addEventListener('click', () => this.go(this.current + 1, true));
    this.ui.flag.addEventListener('click', () => {
      const state = this.states[this.current];
      if (state) this.change(this.current, { flagged: !state.flagged });
    });
    this.ui.submitOpen.addEventListener('click', () => this.openSubmitDialog());
    this.ui.cancel.addEventListener('click', () => this.ui.dialog.close());
    this.ui.confirm.addEventListener('click', () => void this.confirmSubmit());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.tick();
    });

    this.go(this.linkedQuestion() ?? 0, false);
    window.addEventListener('hashchange', () => {
      const linked = this.linkedQuestion();
      if (linked !== null && linked !== this.current) this.go(linked, true);
    });
    this.queue.start(carried);
    this.tick();
  }

  /** The question named in the address (#question-7), if any. */
  private linkedQuestion(): number | null {
    const index = Number(/^#question-(\d+)$/.exec(location.hash)?.[1] ?? '0') - 1;
    return index >= 0 && index < this.states.length ? index : null;
  }

  // --- answers -------------------------------------------------------------------------------

  private change(index: number, patch: { answer: Answer | null } | { flagged: boolean }): void {
    const state = this.states[index];
    if (!state || this.locked) return;
    if ('answer' in patch) state.answer = patch.answer;
    else state.flagged = patch.flagged;
    state.revision += 1;
    this.queue.put(state.item.id, { answer: state.answer, flagged: state.flagged, revision: state.revision });
    this.refreshItem(index);
  }

  private refreshItem(index: number): void {
    const state = this.states[index];
    if (!state) return;
    const answered = isAnswered(state.answer);
    const button = state.gridButton;
    button.setAttribute(
      'aria-label',
      `Question ${index + 1}, ${answered ? 'answered' : 'not answered'}${state.flagged ? ', flagged for review' : ''}`,
    );
    button.replaceChildren(
      String(index + 1),
      ...(state.flagged ? [el('span', { class: 'exam-grid-flag', 'aria-hidden': 'true' }, '⚑')] : []),
    );
    button.classList.toggle('is-answered', answered);
    button.classList.toggle('is-flagged', state.flagged);
    state.view.setFlagged(state.flagged);
    if (index === this.current) this.ui.flag.setAttribute('aria-pressed', String(state.flagged));
    const summary = summarise(this.states);
    this.ui.counts.textContent = `${summary.answered} of ${summary.total} answered · ${summary.flagged.length} flagged for review`;
  }

  // --- navigation ----------------------------------------------------------------------------

  private go(index: number, focus: boolean): void {
    const target = this.states[index];
    if (!target) return;
    this.states[this.current]?.view.commitPending();
    this.states.forEach((state, i) => {
      state.view.section.hidden = i !== index;
      if (i === index) state.gridButton.setAttribute('aria-current', 'step');
      else state.gridButton.removeAttribute('aria-current');
    });
    this.current = index;
    this.ui.prev.disabled = index === 0;
    this.ui.next.disabled = index === this.states.length - 1;
    this.ui.flag.setAttribute('aria-pressed', String(target.flagged));
    const hash = `#question-${index + 1}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    if (focus) target.view.heading.focus();
  }

  // --- status --------------------------------------------------------------------------------

  private showSaveState(state: SaveState): void {
    const status = this.ui.saveStatus;
    status.dataset['state'] = state.kind;
    const waiting = 'waiting' in state ? plural(state.waiting, 'answer') : '';
    switch (state.kind) {
      case 'saved':
        status.replaceChildren('Saved');
        break;
      case 'saving':
        status.replaceChildren('Saving…');
        break;
      case 'offline':
        status.replaceChildren(`Offline – ${waiting} waiting`);
        break;
      case 'retrying':
        status.replaceChildren(`Not saved yet – ${waiting} waiting, retrying`);
        break;
      case 'signed-out':
        status.replaceChildren(
          el('a', { href: `/signin/?returnTo=${encodeURIComponent(location.pathname)}` }, 'Sign in again'),
          ` – ${waiting} waiting (kept in this browser)`,
        );
        break;
      case 'closed':
        status.replaceChildren('Time is up');
        break;
    }
  }

  private showAlert(...content: (Node | string)[]): void {
    this.ui.alert.replaceChildren(...content);
    this.ui.alert.hidden = false;
  }

  /** Polite announcement; cleared first so the same words are announced again. */
  private announce(message: string): void {
    this.ui.announce.textContent = '';
    requestAnimationFrame(() => {
      this.ui.announce.textContent = message;
    });
  }

  // --- countdown -----------------------------------------------------------------------------

  private tick(): void {
    clearTimeout(this.tickTimer);
    const remaining = this.clock.remaining(this.deadline, Date.now());
    this.ui.timer.textContent = formatRemaining(remaining);
    this.ui.timerBox.classList.toggle('is-low', remaining <= LOW_TIME_MS);
    const due = this.lastRemaining === undefined ? null : announcementDue(this.lastRemaining, remaining);
    if (due) this.ui.timerAnnounce.textContent = due;
    this.lastRemaining = remaining;
    if (remaining <= 0) {
      void this.timeUp('Time is up. Submitting your answers…');
      return;
    }
    // Wake when the displayed second changes.
    this.tickTimer = setTimeout(() => this.tick(), (remaining % 1000 || 1000) + 15);
  }

  private lock(locked: boolean): void {
    this.locked = locked;
    for (const state of this.states) state.view.setDisabled(locked);
    this.ui.flag.disabled = locked;
    this.ui.submitOpen.disabled = locked;
  }

  /** Time is up (by the countdown or the server's word): save what can be saved, submit, leave. */
  private async timeUp(message: string): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    clearTimeout(this.tickTimer);
    this.ui.timer.textContent = formatRemaining(0);
    for (const state of this.states) state.view.commitPending();
    this.lock(true);
    if (this.ui.dialog.open) this.ui.dialog.close();
    this.showAlert(message);
    // The server accepts saves for a few seconds past the deadline.
    await this.queue.drained(Math.max(1000, this.attempt.graceSeconds * 1000 - 500));
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      const outcome = await this.postSubmit();
      if (outcome.ok) return this.leave(outcome.resultUrl);
      if (outcome.status === 401) {
        this.showAlert(
          'Time is up. Your session ended, so the exam could not be submitted from here; it finishes by itself with every answer the server saved. ',
          el('a', { href: `/signin/?returnTo=${encodeURIComponent(location.pathname)}` }, 'Sign in again'),
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, retryDelay(attempt)));
    }
    this.showAlert(
      'Time is up. The server could not be reached to finish your exam; it finishes it by itself with every answer it saved. ',
      el('a', { href: `/exam/attempts/${encodeURIComponent(this.attempt.id)}/result/` }, 'See your result'),
    );
  }

  // --- submission ----------------------------------------------------------------------------

  private openSubmitDialog(): void {
    for (const state of this.states) state.view.commitPending();
    const summary = summarise(this.states);
    const parts: HTMLElement[] = [el('p', {}, `You answered ${summary.answered} of ${plural(summary.total, 'question')}.`)];
    if (summary.unanswered.length > 0)
      parts.push(
        el(
          'p',
          {},
          `Not answered (they score zero): question${summary.unanswered.length === 1 ? '' : 's'} ${listNumbers(summary.unanswered)}.`,
        ),
      );
    if (summary.flagged.length > 0)
      parts.push(el('p', {}, `Flagged for review: question${summary.flagged.length === 1 ? '' : 's'} ${listNumbers(summary.flagged)}.`));
    parts.push(el('p', {}, 'After submitting you cannot change your answers.'));
    this.ui.summary.replaceChildren(...parts);
    this.ui.warning.hidden = true;
    this.ui.confirm.disabled = false;
    this.ui.confirm.textContent = 'Submit now';
    this.ui.dialog.showModal();
    this.ui.cancel.focus();
  }

  private warn(text: string): void {
    this.ui.warning.textContent = text;
    this.ui.warning.hidden = false;
  }

  private async confirmSubmit(): Promise<void> {
    for (const state of this.states) state.view.commitPending();
    const waiting = this.queue.waiting;
    if (waiting > 0 && this.queue.offline) {
      this.warn(
        `You are offline: ${plural(waiting, 'answer')} still to be saved. Reconnect, then submit; submitting now would leave them out.`,
      );
      return;
    }
    this.ui.confirm.disabled = true;
    this.ui.confirm.textContent = 'Submitting…';
    const drained = await this.queue.drained(15_000);
    if (this.finishing) return;
    if (!drained) {
      this.warn(
        this.queue.needsSignIn
          ? 'Your session ended: sign in again (your answers are kept in this browser), then submit.'
          : `${plural(this.queue.waiting, 'answer')} could not be saved yet. Check your connection, then submit again.`,
      );
      this.ui.confirm.disabled = false;
      this.ui.confirm.textContent = 'Submit now';
      return;
    }
    this.finishing = true;
    this.lock(true);
    const outcome = await this.postSubmit();
    if (outcome.ok) return this.leave(outcome.resultUrl);
    this.finishing = false;
    this.lock(false);
    this.warn(outcome.error);
    this.ui.confirm.disabled = false;
    this.ui.confirm.textContent = 'Submit now';
  }

  private async postSubmit(): Promise<SubmitOutcome> {
    let response: Response;
    try {
      response = await fetch(`/api/exam/attempts/${encodeURIComponent(this.attempt.id)}/submit`, {
        method: 'POST',
        headers: { accept: 'application/json' },
        cache: 'no-store',
      });
    } catch {
      return { ok: false, status: 0, error: 'The server could not be reached. Check your connection and try again.' };
    }
    const body: unknown = await response.json().catch(() => null);
    const reply = SubmitReplySchema.safeParse(body);
    if (response.ok && reply.success) return { ok: true, resultUrl: reply.data.resultUrl };
    if (response.status === 401)
      return { ok: false, status: 401, error: 'Your session ended: sign in again, then submit. Your answers are kept.' };
    return { ok: false, status: response.status, error: errorText(body, 'The exam could not be submitted. Try again in a moment.') };
  }

  private leave(resultUrl: string): void {
    this.queue.clear();
    location.assign(resultUrl);
  }
}

export function startExam(): void {
  const root = document.querySelector<HTMLElement>('[data-exam]');
  if (!root) return;
  new Exam(root, readAttempt(), pageArrivedAt()).start();
}
