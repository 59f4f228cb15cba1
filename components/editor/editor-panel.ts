// The editor panel: opened under a fixture block by its "Edit" action (edit-action.ts),
// it shows the example project's files (a small tree), the chosen file in CodeMirror
// (code-view.ts), and Save, Show changes, Reset file and Close. The files are the reader's
// own copies in the session's workspace (server/files/, docs/protocol.md, "Files").
//
// No edit is lost: every save names the version it was based on, and when the file
// changed on disk (vi in the terminal, a build) the panel notices, on focus or on save,
// and shows both versions before anything is overwritten.
import type { FileEntry } from '../../contracts/files-api.ts';
import { fill } from '../runner/fill.ts';
import { getDock } from '../runner/runner-link.ts';
import { CodeView } from './code-view.ts';
import { FileApiError, listFiles, readFile, resetFile, writeFile } from './file-client.ts';
import { diffTexts, type TextDiff } from './text-diff.ts';

type Labels = Record<string, string>;

/** The "Edit" action under a block (edit-action.ts), as the panel uses it. */
export interface EditAction extends HTMLElement {
  readonly path: string;
  /** Shows whether the saved file differs from the workshop's original. */
  markChanged(changed: boolean): void;
}

/** What the editor knows of the file on disk: the text and version it last read or wrote. */
interface OnDisk {
  text: string;
  version: string | null;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function renderDiff(diff: TextDiff, caption: string): HTMLElement {
  const list = element('pre', { className: 'editor-diff-lines' });
  for (const line of diff.lines) {
    // The sign is text, not only colour, so it reaches screen readers and copies along.
    const sign = { same: '  ', added: '+ ', removed: '- ', gap: '' }[line.kind];
    list.append(element('span', { className: `diff-${line.kind}` }, `${sign}${line.text}\n`));
  }
  return element('figure', { className: 'editor-diff-figure' }, element('figcaption', {}, caption), list);
}

class EditorPanel {
  readonly root: HTMLElement;
  private readonly title = element('strong', { className: 'editor-title' });
  private readonly changedMark = element('span', { className: 'editor-mark editor-mark-changed', hidden: true });
  private readonly unsavedMark = element('span', { className: 'editor-mark editor-mark-unsaved', hidden: true });
  private readonly saveButton = element('button', { type: 'button', className: 'editor-save' });
  private readonly diffButton = element('button', { type: 'button', className: 'editor-show-changes' });
  private readonly resetButton = element('button', { type: 'button', className: 'editor-reset' });
  private readonly closeButton = element('button', { type: 'button', className: 'editor-close' });
  private readonly tree = element('nav', { className: 'editor-tree' });
  private readonly code = element('div', { className: 'editor-code' });
  private readonly conflict = element('div', { className: 'editor-conflict', hidden: true });
  private readonly diff = element('div', { className: 'editor-diff', hidden: true });
  private readonly status = element('p', { className: 'editor-status' });
  private readonly view: CodeView;

  private action: EditAction | undefined;
  private session = '';
  private path = '';
  private disk: OnDisk = { text: '', version: null };
  private original: string | null = null;
  private changed = false;
  private files: FileEntry[] = [];
  private checking: Promise<void> | undefined;

  constructor(private readonly labels: Labels) {
    this.root = element('section', { className: 'workshop-editor not-content' });
    this.root.setAttribute('aria-label', labels.region);
    this.status.setAttribute('role', 'status');
    this.tree.setAttribute('aria-label', labels.files);
    this.changedMark.textContent = labels.changed;
    this.unsavedMark.textContent = labels.unsaved;
    this.saveButton.textContent = labels.save;
    this.diffButton.textContent = labels.showChanges;
    this.diffButton.setAttribute('aria-expanded', 'false');
    this.resetButton.textContent = labels.resetFile;
    this.closeButton.textContent = labels.close;
    this.root.append(
      element(
        'div',
        { className: 'editor-bar' },
        this.title,
        this.changedMark,
        this.unsavedMark,
        element('span', { className: 'editor-actions' }, this.saveButton, this.diffButton, this.resetButton, this.closeButton),
      ),
      this.conflict,
      element('div', { className: 'editor-main' }, this.tree, this.code),
      this.diff,
      this.status,
    );
    this.view = new CodeView(this.code, {
      save: () => void this.save(),
      leave: () => this.leave(),
      changed: () => this.showMarks(),
      focused: () => void this.checkDisk(),
    });
    this.saveButton.addEventListener('click', () => void this.save());
    this.diffButton.addEventListener('click', () => this.toggleDiff());
    this.resetButton.addEventListener('click', () => void this.reset());
    this.closeButton.addEventListener('click', () => this.close());
    // Escape anywhere in the panel (the tree, the conflict's buttons) leaves it too.
    this.root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented) this.leave();
    });
    // Back from the terminal or another window: has the file changed meanwhile?
    window.addEventListener('focus', () => {
      if (this.root.isConnected) void this.checkDisk();
    });
  }

  /**
   * Calls the file API with this tab's session; when the runner no longer knows it (the
   * shell ended, a new one started), asks the dock for the current session once and retries.
   */
  private async withSession<T>(call: (session: string) => Promise<T>): Promise<T> {
    try {
      return await call(this.session);
    } catch (error) {
      if (!(error instanceof FileApiError && error.code === 'unknown-session')) throw error;
      const fresh = await getDock()?.session();
      if (!fresh || fresh === this.session) throw error;
      this.session = fresh;
      return call(fresh);
    }
  }

  private get dirty(): boolean {
    return this.view.text !== this.disk.text;
  }

  /** Opens the panel under `action`'s block, on its file. */
  async open(action: EditAction): Promise<void> {
    if (this.root.isConnected && this.dirty && action.path !== this.path && !confirm(fill(this.labels.closeUnsaved, { path: this.path }))) {
      this.view.focus();
      return;
    }
    this.action = action;
    (action.closest('[data-fixture]') ?? action).after(this.root);
    this.say(fill(this.labels.loading, { path: action.path }));
    const session = await getDock()?.session();
    if (!session) {
      this.say(this.labels.noRunner);
      return;
    }
    this.session = session;
    const slash = action.path.indexOf('/');
    try {
      this.files = await this.withSession((id) => listFiles(id, slash > 0 ? action.path.slice(0, slash) : undefined));
    } catch (error) {
      this.files = [];
      this.sayError(error);
    }
    this.renderTree();
    await this.load(action.path);
  }

  /** Reads `path` from the workspace into the editor. */
  private async load(path: string): Promise<void> {
    try {
      const file = await this.withSession((id) => readFile(id, path));
      this.path = path;
      this.disk = { text: file.text, version: file.version };
      this.original = file.original;
      this.changed = file.changed;
      await this.view.show(path, file.text, fill(this.labels.code, { path }));
      // Only now: what the reader types from here on belongs to this file.
      this.title.textContent = path;
      this.root.dataset.file = path;
      this.hideConflict();
      this.diff.hidden = true;
      this.diffButton.setAttribute('aria-expanded', 'false');
      this.diffButton.textContent = this.labels.showChanges;
      this.resetButton.disabled = file.original === null;
      this.showMarks();
      this.say('');
      this.view.focus();
    } catch (error) {
      this.sayError(error);
    }
  }

  private async save(): Promise<void> {
    const text = this.view.text;
    try {
      const written = await this.withSession((id) => writeFile(id, this.path, text, this.disk.version));
      this.disk = { text, version: written.version };
      this.changed = written.changed;
      this.hideConflict();
      this.showMarks();
      this.refreshDiff();
      this.say(this.labels.saved);
    } catch (error) {
      if (error instanceof FileApiError && error.code === 'file-conflict') this.showConflict(error.current);
      else this.sayError(error);
    }
  }

  /** Has the file changed on disk since the editor read it? Quietly takes it when nothing here is unsaved. */
  private checkDisk(): Promise<void> {
    if (!this.session || !this.path || !this.conflict.hidden) return Promise.resolve();
    this.checking ??= (async () => {
      try {
        const file = await this.withSession((id) => readFile(id, this.path));
        if (file.version === this.disk.version) return;
        if (!this.dirty) {
          this.disk = { text: file.text, version: file.version };
          this.changed = file.changed;
          this.view.replace(file.text);
          this.showMarks();
          this.refreshDiff();
          this.say(fill(this.labels.reloaded, { path: this.path }));
        } else this.showConflict({ text: file.text, version: file.version });
      } catch (error) {
        if (!(error instanceof FileApiError && error.code === 'no-such-file')) return;
        if (this.disk.version !== null) this.showConflict(undefined);
      } finally {
        this.checking = undefined;
      }
    })();
    return this.checking;
  }

  /** Both versions side by side, and the reader decides; nothing is written until then. */
  private showConflict(current: { text: string; version: string } | undefined): void {
    const disk = current ?? { text: '', version: null };
    const mine = this.view.text;
    const keep = element('button', { type: 'button', className: 'editor-keep-mine' }, this.labels.keepMine);
    const take = element('button', { type: 'button', className: 'editor-take-disk' }, this.labels.takeDisk);
    const later = element('button', { type: 'button', className: 'editor-decide-later' }, this.labels.decideLater);
    const diff = diffTexts(disk.text, mine);
    this.conflict.replaceChildren(
      element('h3', {}, fill(this.labels.conflictTitle, { path: this.path })),
      element('p', {}, this.labels.conflictText),
      element(
        'div',
        { className: 'editor-conflict-versions' },
        element('figure', {}, element('figcaption', {}, this.labels.conflictDisk), element('pre', { className: 'editor-conflict-disk' }, disk.text)),
        element('figure', {}, element('figcaption', {}, this.labels.conflictMine), element('pre', { className: 'editor-conflict-mine' }, mine)),
      ),
      renderDiff(diff, fill(this.labels.conflictDiff, { added: diff.added, removed: diff.removed })),
      element('p', { className: 'editor-conflict-actions' }, keep, take, later),
    );
    this.conflict.setAttribute('role', 'group');
    this.conflict.setAttribute('aria-label', fill(this.labels.conflictTitle, { path: this.path }));
    this.conflict.hidden = false;
    keep.addEventListener('click', () => {
      // Mine over exactly the version shown: if it changed once more, the reader is asked again.
      this.disk = { text: disk.text, version: disk.version };
      this.hideConflict();
      void this.save();
    });
    take.addEventListener('click', () => {
      this.disk = { text: disk.text, version: disk.version };
      this.view.replace(disk.text);
      this.hideConflict();
      this.showMarks();
      this.view.focus();
    });
    later.addEventListener('click', () => {
      this.hideConflict();
      this.view.focus();
    });
    this.say(this.labels['error:file-conflict']);
    keep.focus();
  }

  private hideConflict(): void {
    this.conflict.hidden = true;
    this.conflict.replaceChildren();
  }

  private async reset(): Promise<void> {
    if (!confirm(fill(this.labels.resetConfirm, { path: this.path }))) return;
    try {
      const file = await this.withSession((id) => resetFile(id, this.path));
      this.disk = { text: file.text, version: file.version };
      this.changed = false;
      this.view.replace(file.text);
      this.hideConflict();
      this.showMarks();
      this.refreshDiff();
      this.say(fill(this.labels.resetDone, { path: this.path }));
    } catch (error) {
      this.sayError(error);
    }
  }

  private toggleDiff(): void {
    const show = this.diff.hidden;
    this.diff.hidden = !show;
    this.diffButton.setAttribute('aria-expanded', String(show));
    this.diffButton.textContent = show ? this.labels.hideChanges : this.labels.showChanges;
    this.refreshDiff();
  }

  /** The diff of the editor's text against the fixture, when it is shown. */
  private refreshDiff(): void {
    if (this.diff.hidden) return;
    if (this.original === null) return this.diff.replaceChildren(element('p', {}, this.labels.noOriginal));
    const diff = diffTexts(this.original, this.view.text);
    if (diff.lines.length === 0) return this.diff.replaceChildren(element('p', {}, this.labels.noChanges));
    this.diff.replaceChildren(renderDiff(diff, fill(this.labels.diffTitle, { added: diff.added, removed: diff.removed })));
  }

  private showMarks(): void {
    // "changed": the text differs from the workshop's original; "not saved": from the file on disk.
    const changed = this.original === null || this.view.text !== this.original;
    this.changedMark.hidden = !changed;
    this.unsavedMark.hidden = !this.dirty;
    this.root.dataset.changed = String(changed);
    this.root.dataset.unsaved = String(this.dirty);
    if (!this.dirty) this.markFile(this.path, this.changed);
    this.refreshDiff();
  }

  /** The saved state of a file, in the tree and on its block's "Edit" action. */
  private markFile(path: string, changed: boolean): void {
    const entry = this.files.find((file) => file.path === path);
    if (entry && entry.changed !== changed) {
      entry.changed = changed;
      this.renderTree();
    }
    for (const action of document.querySelectorAll<EditAction>('workshop-edit-fixture')) {
      if (action.path === path) action.markChanged(changed);
    }
  }

  private renderTree(): void {
    const list = element('ul');
    let folder = '';
    for (const file of this.files) {
      const at = file.path.lastIndexOf('/');
      const dir = at > 0 ? file.path.slice(0, at) : '';
      if (dir !== folder) {
        folder = dir;
        list.append(element('li', { className: 'editor-tree-folder' }, `${dir}/`));
      }
      const button = element('button', { type: 'button' }, file.path.slice(at + 1));
      if (file.changed) button.append(element('span', { className: 'editor-mark editor-mark-changed' }, this.labels.changed));
      if (file.path === this.path) button.setAttribute('aria-current', 'true');
      button.dataset.path = file.path;
      button.addEventListener('click', () => void this.switchTo(file.path));
      list.append(element('li', { className: 'editor-tree-file' }, button));
    }
    for (const action of document.querySelectorAll<EditAction>('workshop-edit-fixture')) {
      const entry = this.files.find((file) => file.path === action.path);
      if (entry) action.markChanged(entry.changed);
    }
    this.tree.replaceChildren(list);
  }

  private async switchTo(path: string): Promise<void> {
    if (path === this.path) return this.view.focus();
    if (this.dirty && !confirm(fill(this.labels.closeUnsaved, { path: this.path }))) return;
    await this.load(path);
    this.renderTree();
  }

  /** Escape: the focus goes back to the block's "Edit" button; the panel and its text stay. */
  private leave(): void {
    this.action?.querySelector<HTMLButtonElement>('.edit-open')?.focus();
  }

  private close(): void {
    if (this.dirty && !confirm(fill(this.labels.closeUnsaved, { path: this.path }))) return;
    this.root.remove();
    this.leave();
  }

  private say(text: string): void {
    this.status.textContent = text;
  }

  private sayError(error: unknown): void {
    const code = error instanceof FileApiError ? error.code : 'network';
    this.say(this.labels[`error:${code}`] ?? String(error));
  }
}

let panel: EditorPanel | undefined;

/** Opens the page's one editor panel on the file of `action`. */
export async function openEditor(action: EditAction, labels: Labels): Promise<void> {
  panel ??= new EditorPanel(labels);
  await panel.open(action);
}
