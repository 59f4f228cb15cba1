// The measuring probe, installed into a page that exposes its xterm.js Terminal: the
// workshop's chapter page opened with ?terminal=open (window.term) or wetty
// (window.wetty_term). Both are measured with the same clocks (issue 11):
//
//   t0  the keydown in the page (a capture listener on window, before xterm.js sees it)
//   t1  the onWriteParsed after which the result is in xterm.js's buffer
//
// Plain JavaScript in a string, evaluated in the page: a function's toString() after the
// TypeScript transform may carry helpers that do not exist there.
export const PROBE_SOURCE = String.raw`(() => {
  const term = window.term ?? window.wetty_term;
  if (!term) return false;
  if (window.__probe) return true;
  const buffer = () => term.buffer.active;
  const lineAt = (y) => buffer().getLine(buffer().baseY + y)?.translateToString(true) ?? '';
  const beforeCursor = () => {
    const b = buffer();
    return b.getLine(b.baseY + b.cursorY)?.translateToString(false, 0, b.cursorX) ?? '';
  };
  let keydownAt = 0;
  window.addEventListener('keydown', () => { keydownAt = performance.now(); }, true);
  let renders = 0;
  term.onRender(() => { renders++; });
  const waiters = new Set();
  term.onWriteParsed(() => {
    const now = performance.now();
    for (const waiter of [...waiters]) {
      if (waiter.test()) {
        waiters.delete(waiter);
        waiter.resolve(now);
      }
    }
  });
  const until = (test, timeoutMs) => new Promise((resolve, reject) => {
    const waiter = { test, resolve };
    waiters.add(waiter);
    setTimeout(() => {
      if (waiters.delete(waiter)) reject(new Error('timed out after ' + timeoutMs + ' ms; cursor line: ' + JSON.stringify(beforeCursor())));
    }, timeoutMs);
  });
  window.__probe = {
    size: () => ({ cols: term.cols, rows: term.rows }),
    /** The same grid for every system: the cells drawn per frame differ with it. */
    resize(cols, rows) {
      if (term.cols !== cols || term.rows !== rows) term.resize(cols, rows);
      return true;
    },
    keydownAt: () => keydownAt,
    /** How many times xterm.js has drawn rows so far (its onRender event). */
    renders: () => renders,
    beforeCursor,
    /** Arms a wait; await it with settle(). */
    arm(kind, arg, timeoutMs) {
      const b = buffer();
      let test;
      if (kind === 'char') {
        const x = b.cursorX;
        test = () => buffer().cursorX === x + 1 && (buffer().getLine(buffer().baseY + buffer().cursorY)?.getCell(x)?.getChars() ?? '') === arg;
      } else if (kind === 'prompt') {
        test = () => beforeCursor() === arg;
      } else {
        // the marker on the cursor line or the one above it (the prompt may follow it)
        test = () => lineAt(buffer().cursorY).includes(arg) || lineAt(buffer().cursorY - 1).includes(arg);
      }
      this.pending = until(test, timeoutMs);
      this.pending.catch(() => {});
      return true;
    },
    async settle() {
      const t1 = await this.pending;
      return t1 - keydownAt;
    },
  };
  return true;
})()`;
