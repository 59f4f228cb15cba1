// <workshop-progress>: counts passed steps overall and per chapter from the saved
// progress, puts a "done/total" badge next to each chapter in the sidebar, and offers
// the two resets (markup: components/steps/ProgressPanel.astro).
import { fill } from '../runner/fill.ts';
import { onProgressChange, readProgress, resetProgress } from './progress-store.ts';
import { getDock, getRunnerState } from '../runner/runner-link.ts';

class WorkshopProgress extends HTMLElement {
  private labels: Record<string, string> = {};
  private chapters: Record<string, string[]> = {};

  connectedCallback(): void {
    if (this.dataset.ready) return;
    this.dataset.ready = '';
    this.labels = JSON.parse(this.dataset.labels ?? '{}') as Record<string, string>;
    this.chapters = JSON.parse(this.dataset.chapters ?? '{}') as Record<string, string[]>;
    this.querySelector('.progress-reset')!.addEventListener('click', () => {
      if (confirm(this.labels.resetConfirm)) resetProgress();
    });
    this.querySelector('.progress-reset-workspace')!.addEventListener('click', () => void this.resetWorkspace());
    onProgressChange(() => this.render());
    this.render();
  }

  private render(): void {
    const progress = readProgress();
    const passed = (ids: string[]) => ids.filter((id) => progress[id]?.status === 'passed').length;
    const all = Object.values(this.chapters).flat();
    const done = passed(all);
    this.querySelector('progress')!.value = done;
    this.querySelector('.progress-overall')!.textContent = fill(this.labels.overall, { done, total: all.length });
    this.dataset.done = String(done);

    const current = this.chapters[this.dataset.current ?? ''];
    const chapterText = this.querySelector<HTMLElement>('.progress-chapter')!;
    chapterText.hidden = !current;
    if (current) chapterText.textContent = fill(this.labels.chapter, { done: passed(current), total: current.length });

    for (const [slug, ids] of Object.entries(this.chapters)) {
      const href = `/${this.dataset.lang}/${slug ? `${slug}/` : ''}`;
      const link = document.querySelector<HTMLAnchorElement>(`#starlight__sidebar a[href="${href}"]`);
      if (!link) continue;
      let badge = link.querySelector<HTMLElement>('.workshop-progress-badge');
      if (!badge) {
        badge = document.createElement('span');
        badge.className = 'workshop-progress-badge';
        link.append(badge);
      }
      const chapterDone = passed(ids);
      badge.textContent = `${chapterDone}/${ids.length}`;
      badge.title = fill(this.labels.badge, { done: chapterDone, total: ids.length });
      badge.toggleAttribute('data-complete', chapterDone === ids.length);
    }
  }

  private async resetWorkspace(): Promise<void> {
    const message = this.querySelector<HTMLElement>('.progress-message')!;
    const dock = getDock();
    const state = getRunnerState();
    if (!dock || state === 'absent' || state === 'stopped') {
      message.textContent = this.labels.resetWorkspaceNoRunner;
      return;
    }
    if (!confirm(this.labels.resetWorkspaceConfirm)) return;
    try {
      await dock.resetWorkspace();
      message.textContent = this.labels.resetWorkspaceDone;
    } catch (error) {
      message.textContent = fill(this.labels.resetWorkspaceFailed, { message: error instanceof Error ? error.message : String(error) });
    }
  }
}

if (!customElements.get('workshop-progress')) customElements.define('workshop-progress', WorkshopProgress);
