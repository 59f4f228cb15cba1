// <workshop-edit-fixture>: the "Edit" button under a fixture block (EditFixture.astro).
// It ships with the page, so it is tiny: it shows the button while a runner answers and,
// on the first click, loads the editor (editor-panel.ts, with CodeMirror) with import().
import { onRunnerState, type RunnerState } from '../runner/runner-link.ts';

/** Runner states in which the files of a workspace can be reached. */
const REACHABLE: readonly RunnerState[] = ['available', 'connecting', 'connected', 'reconnecting'];

class EditFixture extends HTMLElement {
  private button: HTMLButtonElement | undefined;

  connectedCallback(): void {
    if (this.button) return;
    this.button = this.querySelector<HTMLButtonElement>('.edit-open') ?? undefined;
    onRunnerState((state) => {
      this.hidden = !REACHABLE.includes(state);
    });
    this.button?.addEventListener('click', () => void this.open());
  }

  get path(): string {
    return this.dataset.path ?? '';
  }

  /** Shows or hides the "changed" mark (the editor tells every action on the page). */
  markChanged(changed: boolean): void {
    const mark = this.querySelector<HTMLElement>('.edit-changed');
    if (mark) mark.hidden = !changed;
    this.dataset.changed = String(changed);
  }

  private async open(): Promise<void> {
    const { openEditor } = await import('./editor-panel.ts');
    await openEditor(this, JSON.parse(this.dataset.labels ?? '{}') as Record<string, string>);
  }
}

if (!customElements.get('workshop-edit-fixture')) customElements.define('workshop-edit-fixture', EditFixture);
