// A blinking cursor that stays out of the echo path.
//
// xterm.js's DOM renderer blinks the cursor with a CSS animation of background-color, which
// the compositor cannot run by itself: while it runs, Chromium renders a main-thread frame
// at every vsync, and a WebSocket message with the echo of a keystroke waits behind those
// frames. Measured with `npm run bench:terminal`: echo p50 about 9-10 ms with the blink
// running, about 2 ms without (docs/cli.md). So the cursor blinks only while the terminal
// is quiet, as in most desktop terminals it stays solid while you type or output streams,
// and starts blinking again after a quiet second.
import type { Terminal } from '@xterm/xterm';

/** Quiet time after the last keystroke or output before the cursor blinks again. */
export const BLINK_AFTER_QUIET_MS = 1000;

export interface CursorBlink {
  /** A keystroke or output: stop blinking now, resume after a quiet moment. */
  activity(): void;
  dispose(): void;
}

export function blinkWhenQuiet(terminal: Terminal, quietMs = BLINK_AFTER_QUIET_MS): CursorBlink {
  let lastActivity = 0;
  let blinking = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = () => {
    const quietFor = performance.now() - lastActivity;
    if (quietFor >= quietMs) {
      timer = undefined;
      blinking = true;
      terminal.options.cursorBlink = true;
    } else {
      // One timer for a whole burst of activity, not one per keystroke or frame.
      timer = setTimeout(check, quietMs - quietFor);
    }
  };
  terminal.options.cursorBlink = true;
  return {
    activity() {
      lastActivity = performance.now();
      if (blinking) {
        blinking = false;
        terminal.options.cursorBlink = false;
      }
      timer ??= setTimeout(check, quietMs);
    },
    dispose() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
