// The editor is not in any page's initial JavaScript: a chapter page carries only the
// tiny Edit action, which loads the panel (CodeMirror) with import() on the first click.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireDist } from '../helpers/dist.ts';
import { initialScripts } from '../steps/initial-scripts.ts';

const CHAPTERS = ['', 'why', 'how', 'setup', 'build', 'run', 'compose', 'performance', 'further-reading'];
/** Budget for the Edit action's own script (bytes, uncompressed). */
const EDIT_ACTION_BUDGET = 3 * 1024;
/** Strings only CodeMirror's code contains. */
const CODEMIRROR = /cm-editor|EditorView|@codemirror/;

test('no chapter page loads CodeMirror at start', () => {
  const dist = requireDist();
  for (const lang of ['de', 'en']) {
    for (const chapter of CHAPTERS) {
      const path = chapter ? `${lang}/${chapter}` : lang;
      const scripts = initialScripts(dist, path);
      assert.ok(!CODEMIRROR.test(scripts.text), `/${path}/ must not load CodeMirror before Edit is clicked`);
      assert.ok(!scripts.files.some((f) => f.includes('editor-panel')), `/${path}/ must not load the editor panel at start`);
    }
  }
});

test('the Edit action is small and loads the editor chunk, which holds CodeMirror', () => {
  const dist = requireDist();
  const action = initialScripts(dist, 'en/build').files.find((f) => f.includes('EditFixture'));
  assert.ok(action, 'the Edit action is on the build chapter');
  const bytes = initialScripts.fileBytes(dist, action);
  assert.ok(bytes <= EDIT_ACTION_BUDGET, `the Edit action is ${bytes} bytes, over ${EDIT_ACTION_BUDGET}`);
  const lazy = /import\(["'`]\.\/(editor-panel\.[\w-]+\.js)["'`]\)/.exec(initialScripts.read(dist, action))?.[1];
  assert.ok(lazy, 'the Edit action loads the editor with import()');
  assert.match(initialScripts.read(dist, `/_astro/${lazy}`), CODEMIRROR);
});
