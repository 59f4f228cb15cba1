// A blinking cursor that stays out of the echo path and draws no frames in between.
//
// xterm.js's DOM renderer blinks the cursor with a CSS animation of background-color, which
// the compositor cannot run by itself: while it runs, Chromium renders a main-thread frame
// at every vsync (60 a second, also in a page that just sits there), and the echo of a
// keystroke waits behind those frames. Measured with `npm run bench:terminal`: echo p50
// about 9-10 ms with the animation running, about 2 ms without; a DevTools trace of a quiet
// page has a main-thread frame every 16 ms from the moment the animation starts (docs/cli.md).
//
// So on the DOM renderer the cursor blinks by a class on the screen's host, switched every
// BLINK_MS by a timer: one small style change and one frame each time, two a second. On
// the WebGL renderer xterm.js draws the cursor on its canvas with a timer of its own and
// blinks it itself. Either way the cursor stays solid while you type or output streams, as
// in most desktop terminals, and blinks again after a quiet second.
import type { Terminal } from '@xterm/xterm';

/** Quiet time after the last keystroke or output before the cursor blinks again. */
export const BLINK_AFTER_QUIET_MS = 1000;
/** How long the cursor is shown, and then hidden, while it blinks (xterm.js's own rhythm). */
export const BLINK_MS = 500;
/** On the screen's host while a blinking cursor is in its hidden half. */
export const CURSOR_HIDDEN_CLASS = 'cursor-blink-hidden';
/**
 * The hidden half: the focused block cursor drawn as the cell without it. One class more
 * than xterm.js's own rule (whose !important colours the cursor), so that this one wins.
 */
export const CURSOR_BLINK_CSS = `.terminal-host.${CURSOR_HIDDEN_CLASS} .xterm .xterm-rows.xterm-focus .xterm-cursor.xterm-cursor-block { background-color: transparent !important; color: inherit !important; }`;

export interface CursorBlink {
  /** A keystroke or output: stop blinking now, resume after a quiet moment. */
  activity(): void;
  /** The renderer changed (WebGL loaded, or its context was lost): blink the new one's way. */
  rendererChanged(): void;
  dispose(): void;
}

/**
 * `host` is the element the terminal was opened in; `drawsOnCanvas` says whether a canvas
 * renderer (WebGL) draws right now, which xterm.js blinks by itself.
 */
export function blinkWhenQuiet(terminal: Terminal, host: HTMLElement, drawsOnCanvas: () => boolean, quietMs = BLINK_AFTER_QUIET_MS): CursorBlink {
  let lastActivity = 0;
  let blinking = false;
  let quietTimer: ReturnType<typeof setTimeout> | undefined;
  let blinkTimer: ReturnType<typeof setInterval> | undefined;
  const hide = (hidden: boolean) => host.classList.toggle(CURSOR_HIDDEN_CLASS, hidden);

  const start = () => {
    blinking = true;
    if (drawsOnCanvas()) {
      terminal.options.cursorBlink = true;
      return;
    }
    blinkTimer = setInterval(() => hide(!host.classList.contains(CURSOR_HIDDEN_CLASS)), BLINK_MS);
  };
  const stop = () => {
    blinking = false;
    if (blinkTimer) clearInterval(blinkTimer);
    blinkTimer = undefined;
    hide(false);
    if (terminal.options.cursorBlink) terminal.options.cursorBlink = false;
  };
  const check = () => {
    const quietFor = performance.now() - lastActivity;
    if (quietFor >= quietMs) {
      quietTimer = undefined;
      start();
    } else {
      // One timer for a whole burst of activity, not one per keystroke or frame.
      quietTimer = setTimeout(check, quietMs - quietFor);
    }
  };
  // xterm.js's own animation never runs on the DOM renderer.
  terminal.options.cursorBlink = false;
  start();
  return {
    activity() {
      lastActivity = performance.now();
      if (blinking) stop();
      quietTimer ??= setTimeout(check, quietMs);
    },
    rendererChanged() {
      // A lost WebGL context must not leave xterm.js's animation running on the DOM renderer.
      if (!blinking) return;
      stop();
      start();
    },
    dispose() {
      if (quietTimer) clearTimeout(quietTimer);
      quietTimer = undefined;
      stop();
    },
  };
}
