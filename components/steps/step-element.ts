// <workshop-step>: the behaviour of one runnable step (markup: components/steps/Step.astro).
// Run asks the terminal dock to run the step by id; the runner's step messages set the
// status. After a failure the steps that need the failed one become skipped, here and
// (through the saved progress) on every other page, and are not run.
import { fill } from '../runner/fill.ts';
import { onProgressChange, readProgress, saveStatus } from './progress-store.ts';
import { missingRequirements } from './requirements.ts';
import type { ErrorCode, StepFailureReason, StepStatus } from '../../contracts/terminal-protocol.ts';
import { getDock, getRunnerState, onDoctor, onStepUpdate, publishStep, type StepUpdate } from '../runner/runner-link.ts';

type Status = StepStatus;
type Labels = Record<string, string>;

/** Statuses of steps that make the steps needing them skipped. */
const BLOCKING: readonly Status[] = ['failed', 'skipped'];

class WorkshopStep extends HTMLElement {
  private labels: Labels = {};
  private runButton!: HTMLButtonElement;
  private checkButton: HTMLButtonElement | null = null;
  private statusText!: HTMLElement;
  private live!: HTMLElement;

  get stepId(): string {
    return this.dataset.stepId ?? '';
  }
  get needs(): string[] {
    return (this.dataset.needs ?? '').split(' ').filter(Boolean);
  }
  get status(): Status {
    return (this.dataset.status as Status) ?? 'idle';
  }

  connectedCallback(): void {
    if (this.runButton) return; // moved in the DOM, already set up
    this.labels = JSON.parse(this.dataset.labels ?? '{}') as Labels;
    this.runButton = this.querySelector('.step-run')!;
    this.statusText = this.querySelector('.step-status')!;
    this.live = this.querySelector('.step-live')!;

    this.checkButton = this.querySelector('.step-check');
    this.runButton.addEventListener('click', () => void this.run('run'));
    this.checkButton?.addEventListener('click', () => void this.run('check'));
    this.showPosition();
    onStepUpdate((update) => this.onStep(update));
    onProgressChange(() => this.restore());
    onDoctor((checks) => this.showMissing(missingRequirements(this.dataset.requires?.split(' ').filter(Boolean) ?? [], this.dataset.command ?? '', checks)));
    this.restore();
  }

  /** Shows the saved status; a step whose needs failed elsewhere shows as skipped. */
  private restore(): void {
    if (this.status === 'running') return;
    const saved = readProgress()[this.stepId];
    const blocker = this.blockingNeed();
    if (blocker && saved?.status !== 'passed') this.show('skipped', { blocker });
    else if (saved) {
      this.show(saved.status, { exitCode: saved.exitCode, reason: saved.reason, blocker: saved.need });
      // The explanation stays after a reload and in the other language (same ids, own texts).
      if (saved.status === 'failed' && saved.hint) {
        if (this.querySelector<HTMLElement>('.step-hint')?.dataset.knownError !== saved.hint) void this.showHint(saved.hint);
      } else this.hideHint();
    } else {
      this.show('idle', {});
      this.hideHint();
    }
  }

  /** "Step n of m" on this page, and a link to the next one. */
  private showPosition(): void {
    const nav = this.querySelector<HTMLElement>('.step-position');
    if (!nav) return;
    const all = [...document.querySelectorAll<WorkshopStep>('workshop-step')];
    const index = all.indexOf(this);
    nav.querySelector('.step-count')!.textContent = fill(this.labels.position, { n: index + 1, m: all.length });
    const next = all[index + 1];
    const link = nav.querySelector<HTMLAnchorElement>('.step-next')!;
    link.hidden = !next;
    if (next) {
      link.href = `#${next.id}`;
      link.textContent = fill(this.labels.next, { step: next.dataset.title ?? next.stepId });
    }
  }

  /** A step's title in the page's language (the id if the page does not show it). */
  private titleOf(id: string): string {
    if (id === this.stepId) return this.dataset.title ?? id;
    const titles = JSON.parse(this.dataset.needTitles ?? '{}') as Labels;
    return titles[id] ?? document.querySelector<HTMLElement>(`workshop-step[data-step-id="${id}"]`)?.dataset.title ?? id;
  }

  /** The first of this step's needs that failed or was skipped, if any. */
  private blockingNeed(): string | undefined {
    const progress = readProgress();
    return this.needs.find((need) => {
      const onPage = document.querySelector<WorkshopStep>(`workshop-step[data-step-id="${need}"]`);
      const status = onPage?.status === 'running' ? 'running' : (progress[need]?.status ?? onPage?.status);
      return status !== undefined && BLOCKING.includes(status as Status);
    });
  }

  private async run(mode: 'run' | 'check'): Promise<void> {
    if (this.status === 'running') return;
    // A check looks at the machine as it is: it does not wait for the steps before it.
    const blocker = mode === 'run' ? this.blockingNeed() : undefined;
    if (blocker) {
      this.setStatus('skipped', { blocker });
      return;
    }
    this.hideHint();
    this.setStatus('running', {});
    const dock = getDock();
    const sent = (await (mode === 'check' ? dock?.check(this.stepId) : dock?.run(this.stepId))) ?? false;
    // The opened terminal may cover the step: keep it in sight above the dock.
    requestAnimationFrame(() => this.querySelector('.step-bar')?.scrollIntoView({ block: 'nearest' }));
    if (!sent) {
      this.show('idle', {});
      // Not running at all, or running but this browser lacks access: different fixes.
      const text = getRunnerState() === 'locked' ? this.labels.locked : this.labels.noRunner;
      this.statusText.textContent = text;
      this.announce(text);
    }
  }

  private onStep(update: StepUpdate): void {
    if (update.step === this.stepId) {
      if (update.source === 'page') return; // our own notice to the steps that need this one
      if (update.source === 'refused') return this.setStatus('idle', { refused: update.code });
      const { message } = update;
      this.setStatus(message.status, { exitCode: message.exitCode, reason: message.reason, hint: message.hint, blocker: message.need });
      if (message.hint) void this.showHint(message.hint).then(() => this.revealExplanation());
      else if (message.status === 'failed' || message.status === 'skipped') this.revealExplanation();
      return;
    }
    if (!this.needs.includes(update.step) || update.source === 'refused') return;
    const status = update.source === 'runner' ? update.message.status : update.status;
    // A step this one needs has changed: follow it.
    if (BLOCKING.includes(status)) {
      if (this.status !== 'running' && this.status !== 'passed') this.setStatus('skipped', { blocker: update.step });
    } else if (status === 'passed' && this.status === 'skipped' && !this.blockingNeed()) {
      this.setStatus('idle', {});
    }
  }

  /** Changes the status, saves it, announces it and tells the steps that need this one. */
  private setStatus(status: Status, detail: Detail): void {
    // Saved first: saving makes every step restore from the saved progress, which must not
    // overwrite what this one shows now (e.g. why a run was refused, which is not saved).
    saveStatus(this.stepId, status, { exitCode: detail.exitCode, reason: detail.reason, hint: detail.hint, need: detail.blocker });
    this.show(status, detail);
    this.announce(fill(this.labels.announce, { step: this.titleOf(this.stepId), status: this.statusText.textContent ?? '' }));
    if (status === 'skipped' || status === 'passed' || status === 'idle') {
      // Passed on to dependants; "failed" comes from the runner and reaches them directly.
      publishStep({ source: 'page', step: this.stepId, status });
    }
  }

  private show(status: Status, { exitCode, reason, refused, blocker }: Detail): void {
    this.dataset.status = status;
    if (status === 'failed' && exitCode !== undefined) this.dataset.exitCode = String(exitCode);
    else delete this.dataset.exitCode;
    this.runButton.setAttribute('aria-disabled', String(status === 'running'));
    this.checkButton?.setAttribute('aria-disabled', String(status === 'running'));
    this.statusText.textContent = this.describe(status, { exitCode, reason, refused, blocker });
  }

  private describe(status: Status, { exitCode, reason, refused, blocker }: Detail): string {
    const l = this.labels;
    if (status === 'skipped') {
      const need = this.titleOf(blocker ?? this.blockingNeed() ?? '?');
      return fill(reason === 'need-not-passed' ? l['reason:need-not-passed'] : l.skipped, { step: need });
    }
    if (status === 'idle' && refused) return l[`reason:${refused}`] ?? refused; // the run did not start
    if (status !== 'failed') return l[status] ?? status;
    const headline = exitCode !== undefined && exitCode !== 0 ? fill(l.failedExit, { code: exitCode }) : l.failed;
    if (!reason || reason === 'exit-code') return headline;
    const why = l[`reason:${reason}`];
    // An exit-0 failure says what was expected, so the reader can compare with the output.
    const expect = (reason === 'check-failed' ? this.dataset.checkExpect : this.dataset.expect) ?? '';
    const text = why ? fill(why, { exitCode: exitCode ?? '?', expect }) : reason;
    return `${headline}. ${text}`;
  }

  /**
   * Brings the explanation of a failure (status line and, if any, the known-error box) into
   * view above the terminal dock, which covers the lower part of the window.
   */
  private revealExplanation(): void {
    requestAnimationFrame(() => {
      const bar = this.querySelector<HTMLElement>('.step-bar');
      const hint = this.querySelector<HTMLElement>('.step-hint');
      if (!bar) return;
      const root = getComputedStyle(document.documentElement);
      // The visible band: below Starlight's sticky header, above the dock.
      const topLimit = parseFloat(root.scrollPaddingTop) || 0;
      const bottomLimit = innerHeight - (parseFloat(root.getPropertyValue('--workshop-dock-space')) || 0) - 16;
      const top = bar.getBoundingClientRect().top;
      const bottom = (hint && !hint.hidden ? hint : bar).getBoundingClientRect().bottom;
      let delta = 0;
      if (bottom - top <= bottomLimit - topLimit) {
        // Status line and explanation both fit: move as little as needed.
        if (top < topLimit) delta = top - topLimit;
        else if (bottom > bottomLimit) delta = bottom - bottomLimit;
      } else if (hint && !hint.hidden) {
        // Too tall for both: the explanation wins (its start, if it is taller than the band).
        const hintTop = hint.getBoundingClientRect().top;
        delta = bottom - hintTop <= bottomLimit - topLimit ? bottom - bottomLimit : hintTop - topLimit;
      } else delta = top - topLimit;
      if (delta !== 0) scrollBy({ top: delta, behavior: 'instant' });
    });
  }

  private announce(text: string): void {
    // Emptying first makes screen readers announce a text equal to the previous one.
    this.live.textContent = '';
    requestAnimationFrame(() => {
      this.live.textContent = text;
    });
  }

  private showMissing(missing: string[]): void {
    const box = this.querySelector<HTMLElement>('.step-requires')!;
    box.replaceChildren();
    box.hidden = missing.length === 0;
    this.toggleAttribute('data-missing', missing.length > 0);
    if (missing.length === 0) return;
    const names = JSON.parse(this.dataset.requirementLabels ?? '{}') as Labels;
    box.append(this.labels.requiresMissing, ' ');
    for (const requirement of missing) {
      const badge = document.createElement('span');
      badge.className = 'requirement';
      badge.textContent = names[requirement] ?? requirement;
      box.append(badge);
    }
  }

  private hideHint(): void {
    const box = this.querySelector<HTMLElement>('.step-hint')!;
    box.hidden = true;
    box.replaceChildren();
    delete box.dataset.knownError;
  }

  /** Cause and fix of a known error; loaded on demand, it holds the texts of both languages. */
  private async showHint(hint: string): Promise<void> {
    const box = this.querySelector<HTMLElement>('.step-hint')!;
    try {
      const { showKnownError } = await import('./known-error-view.ts');
      if (this.status !== 'failed') return; // run again meanwhile
      if (showKnownError(box, hint, document.documentElement.lang)) return;
    } catch {
      // Texts not loadable (e.g. the runner stopped meanwhile): show the id below.
    }
    const title = document.createElement('p');
    const strong = document.createElement('strong');
    strong.textContent = `${this.labels.hintTitle}: `;
    const code = document.createElement('code');
    code.textContent = hint;
    title.append(strong, code);
    box.replaceChildren(title);
    box.dataset.knownError = hint;
    box.hidden = false;
  }
}

interface Detail {
  exitCode?: number;
  /** Why the runner failed the step. */
  reason?: StepFailureReason;
  /** Why the runner did not start the step. */
  refused?: ErrorCode;
  blocker?: string;
  /** The known-error id shown with a failure. */
  hint?: string;
}

if (!customElements.get('workshop-step')) customElements.define('workshop-step', WorkshopStep);
