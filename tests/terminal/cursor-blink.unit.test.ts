// The cursor's blink (components/terminal/cursor-blink.ts) follows the renderer: on the DOM
// renderer a class on the host, switched by a timer (never xterm.js's CSS animation, which
// draws a frame at every vsync); on WebGL xterm.js's own blink. The browser test
// (terminal-hook.test.ts) holds the DOM side in Chromium; headless Chromium has no hardware
// GL, so the switch between renderers is held here, with the host's class list and the
// terminal's options as the only parts of the DOM and of xterm.js that the blink touches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Terminal } from '@xterm/xterm';
import { BLINK_MS, blinkWhenQuiet, CURSOR_HIDDEN_CLASS } from '../../components/terminal/cursor-blink.ts';

function parts() {
  const classes = new Set<string>();
  const host = {
    classList: {
      toggle: (name: string, on: boolean) => (on ? classes.add(name) : classes.delete(name), on),
      contains: (name: string) => classes.has(name),
    },
  } as unknown as HTMLElement;
  const terminal = { options: { cursorBlink: false } } as unknown as Terminal;
  return { host, terminal, hidden: () => classes.has(CURSOR_HIDDEN_CLASS) };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('on the DOM renderer the class blinks, never xterm.js’s animation', async () => {
  const { host, terminal, hidden } = parts();
  const blink = blinkWhenQuiet(terminal, host, () => false, 20);
  await sleep(BLINK_MS + 50);
  assert.equal(hidden(), true);
  assert.equal(terminal.options.cursorBlink, false);
  blink.activity();
  assert.equal(hidden(), false, 'a keystroke shows the cursor at once');
  blink.dispose();
});

test('a renderer that changes while the cursor blinks takes the blink its own way', async () => {
  const { host, terminal, hidden } = parts();
  let canvas = false;
  const blink = blinkWhenQuiet(terminal, host, () => canvas, 20);
  // WebGL loaded: xterm.js blinks on its canvas; the class is off and stays off.
  canvas = true;
  blink.rendererChanged();
  assert.equal(terminal.options.cursorBlink, true);
  await sleep(BLINK_MS + 50);
  assert.equal(hidden(), false);
  // Its context lost: back on the DOM renderer, xterm.js's CSS animation must not run.
  canvas = false;
  blink.rendererChanged();
  assert.equal(terminal.options.cursorBlink, false);
  await sleep(BLINK_MS + 50);
  assert.equal(hidden(), true);
  blink.dispose();
  assert.equal(hidden(), false, 'disposed: the cursor is left shown');
});
