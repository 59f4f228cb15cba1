// The CodeMirror 6 view the editor panel uses: line numbers, history, bracket matching,
// the language of the file, light or dark like the page. Loaded with the panel only.
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { oneDark } from '@codemirror/theme-one-dark';
import { languageFor } from './languages.ts';

export interface CodeViewHooks {
  /** Ctrl/Cmd+S. */
  save(): void;
  /** Escape: leave the editor (focus goes back to the page). */
  leave(): void;
  /** The text changed (typing, undo, a new file). */
  changed(): void;
  /** The editor got the focus: the panel looks whether the file changed on disk. */
  focused(): void;
}

export class CodeView {
  readonly view: EditorView;
  private readonly extensions: Extension[];

  constructor(parent: HTMLElement, hooks: CodeViewHooks) {
    const dark = document.documentElement.dataset.theme === 'dark';
    const extensions: Extension[] = [
      lineNumbers(),
      history(),
      drawSelection(),
      highlightActiveLine(),
      indentOnInput(),
      bracketMatching(),
      EditorState.tabSize.of(4),
      dark ? oneDark : syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      // Before the default keymap, so Escape and Mod-s are the editor's own.
      keymap.of([
        { key: 'Escape', run: () => (hooks.leave(), true) },
        { key: 'Mod-s', preventDefault: true, run: () => (hooks.save(), true) },
      ]),
      keymap.of([...defaultKeymap, ...historyKeymap]),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) hooks.changed();
        if (update.focusChanged && update.view.hasFocus) hooks.focused();
      }),
      EditorView.theme({ '&': { maxHeight: '28rem', fontSize: 'var(--sl-text-code-sm, 0.875rem)' }, '.cm-scroller': { overflow: 'auto' } }),
    ];
    this.extensions = extensions;
    this.view = new EditorView({ parent, state: EditorState.create({ doc: '', extensions }) });
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  /** Shows `text` as the file at `path`; the undo history starts afresh. */
  async show(path: string, text: string, label: string): Promise<void> {
    const language = await languageFor(path);
    const labelled = EditorView.contentAttributes.of({ 'aria-label': label });
    this.view.setState(EditorState.create({ doc: text, extensions: [...this.extensions, language, labelled] }));
  }

  /** Replaces the text but keeps it undoable (taking the disk version in a conflict). */
  replace(text: string): void {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  focus(): void {
    this.view.focus();
  }

  destroy(): void {
    this.view.destroy();
  }
}
