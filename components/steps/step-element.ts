// <workshop-step>: the behaviour of one runnable step (markup: components/steps/Step.astro).
// Run asks the terminal dock to run the step by id; the runner's step messages set the
// status. After a failure the steps that need the failed one become skipped, here and
// (through the saved progress) on every other page, and are not run.
import { fill } from '../runner/fill.ts';
import { onProgressChange, readProgress, saveStatus } from './progress-store.ts';
import { missingRequirements } from './requirements.ts';
import type { ErrorCode, StepFailureReason, StepStatus } from '../../contracts/terminal-protocol.ts';
import { getDock, onDoctor, onStepUpdate, publishStep, type StepUpdate } from '../runner/runner-link.ts';

type Status = StepStatus;
type Labels = Record<string, string>;

/** Statuses of steps that make the steps needing them skipped. */
const BLOCKING: readonly Status[] = ['failed', 'skipped'];

class WorkshopStep extends HTMLElement {
  private labels: Labels = {};
  private runButton!: HTMLButtonElement;
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

    this.runButton.addEventListener('click', () => void this.run());
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
    else if (saved) this.show(saved.status, { exitCode: saved.exitCode });
    else this.show('idle', {});
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

  private async run(): Promise<void> {
    if (this.status === 'running') return;
    const blocker = this.blockingNeed();
    if (blocker) {
      this.setStatus('skipped', { blocker });
      return;
    }
    this.hideHint();
    this.setStatus('running', {});
    const sent = (await getDock()?.run(this.stepId)) ?? false;
    // The opened terminal may cover the step: keep it in sight above the dock.
    requestAnimationFrame(() => this.querySelector('.step-bar')?.scrollIntoView({ block: 'nearest' }));
    if (!sent) {
      this.show('idle', {});
      this.statusText.textContent = this.labels.noRunner;
      this.announce(this.labels.noRunner);
    }
  }

  private onStep(update: StepUpdate): void {
    if (update.step === this.stepId) {
      if (update.source === 'page') return; // our own notice to the steps that need this one
      if (update.source === 'refused') return this.setStatus('idle', { refused: update.code });
      const { message } = update;
      this.setStatus(message.status, { exitCode: message.exitCode, reason: message.reason });
      if (message.hint) void this.showHint(message.hint);
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
    this.show(status, detail);
    saveStatus(this.stepId, status, detail.exitCode);
    this.announce(fill(this.labels.announce, { step: this.stepId, status: this.statusText.textContent ?? '' }));
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
    this.statusText.textContent = this.describe(status, { exitCode, reason, refused, blocker });
  }

  private describe(status: Status, { exitCode, reason, refused, blocker }: Detail): string {
    const l = this.labels;
    if (status === 'skipped') return fill(l.skipped, { step: blocker ?? this.blockingNeed() ?? '?' });
    if (status === 'idle' && refused) return l[`reason:${refused}`] ?? refused; // the run did not start
    if (status !== 'failed') return l[status] ?? status;
    const headline = exitCode !== undefined && exitCode !== 0 ? fill(l.failedExit, { code: exitCode }) : l.failed;
    if (!reason || reason === 'exit-code') return headline;
    const why = l[`reason:${reason}`];
    const text = why ? fill(why, { exitCode: exitCode ?? '?' }) : reason;
    return `${headline}. ${text}`;
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
}

if (!customElements.get('workshop-step')) customElements.define('workshop-step', WorkshopStep);
