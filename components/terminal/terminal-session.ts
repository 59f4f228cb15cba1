// The terminal itself: xterm.js attached to the runner's WebSocket (docs/protocol.md).
// Loaded with import() by the dock when a terminal is opened or a step is run, so that
// a chapter page does not ship xterm.js until then (the page-weight test holds us to it).
//
// One session per browser tab: the runner's session id is kept in sessionStorage and sent
// back as ?session= on every (re)connect, so a reload or another chapter re-attaches to
// the same shell and the runner replays its recent output.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import xtermCss from '@xterm/xterm/css/xterm.css?inline';
import { CLOSE_CODES, serverMessage, TERMINAL_PATH, type ClientMessage, type ErrorCode } from '../../contracts/terminal-protocol.ts';
import { socketProtocols } from '../runner/runner-api.ts';
import { SESSION_KEY, type RunnerState, type StepMessage } from '../runner/runner-link.ts';
import { reportRunnerShell } from '../shell/shell-choice.ts';
import { blinkWhenQuiet, CURSOR_BLINK_CSS } from './cursor-blink.ts';
import { OutputQueue } from './output-queue.ts';
import { useBestRenderer } from './webgl-renderer.ts';

declare global {
  interface Window {
    /** The page's xterm.js Terminal, for outside measuring harnesses (docs/cli.md). */
    term?: Terminal;
  }
}

/** How the session tells the dock what happens. */
export interface SessionHooks {
  onState(state: RunnerState): void;
  onStep(message: StepMessage): void;
  /** An error frame from the runner, or the refusal of a new session. */
  onError(code: ErrorCode, message: string): void;
  /** The shell ended; a new connection gets a new session. */
  onExit(code: number): void;
  /** The runner cannot be reached any more (stopped, or the network is gone). */
  onLost(): void;
  /** Another tab attached to this session; this terminal is disconnected for good. */
  onReplaced(): void;
  /** The folder of the reader's files, from the runner's hello. */
  onWorkspace(path: string): void;
}

export interface TerminalSession {
  /** Sends a run request; false when the socket is not open. */
  run(step: string): boolean;
  /** Sends a check-only request for a step (docs/protocol.md); false while not connected. */
  check(step: string): boolean;
  focus(): void;
  dispose(): void;
}

// Acknowledging what xterm has parsed lets the runner pause a flooding command instead
// of piling output up in the browser (server/session/flow-control.ts: a 1 MiB window that
// resumes below 768 KiB, so acks every 128 KiB keep it open without a message per frame).
// What the page holds is bounded by that window; output-queue.ts decides when xterm.js gets it.
const ACK_EVERY_BYTES = 128 * 1024;
const ACK_IDLE_MS = 50;
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000];
/** After Ctrl-C, output is dropped until the runner's "flushed" arrives, but never longer. */
const DROP_AFTER_INTERRUPT_MAX_MS = 1000;

function readSessionId(): string | undefined {
  try {
    return sessionStorage.getItem(SESSION_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function writeSessionId(id: string | undefined): void {
  try {
    if (id) sessionStorage.setItem(SESSION_KEY, id);
    else sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // Storage disabled: the session lasts as long as this page.
  }
}

export function startSession(mount: HTMLElement, label: string, hooks: SessionHooks): TerminalSession {
  const terminal = new Terminal({
    // Blinks only when the terminal is quiet, and not with xterm.js's CSS animation
    // (cursor-blink.ts): a running animation slows echo.
    cursorBlink: false,
    convertEol: false,
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    fontSize: 14,
    // Room below the baseline: at 1.0 the underscore falls outside the row and is cut off.
    lineHeight: 1.2,
    scrollback: 5000,
    theme: { background: '#17181c' },
  });
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  // xterm.js lives in a shadow root. Per frame it replaces the spans of its rows; in the
  // page's own DOM every new span would be matched against all of the page's (Starlight's)
  // style rules and reported to every MutationObserver on the body (Astro's prefetch watches
  // it for links). Both cost the page time on every write; the shadow root keeps them out.
  const root = mount.shadowRoot ?? mount.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = [
    xtermCss,
    '.terminal-host { height: 100%; }',
    CURSOR_BLINK_CSS,
    // The scrollbar hides half a second after scrolling stops; xterm.js fades it out over
    // 800 ms, frames in which the first keystrokes after a flood waited (bench:terminal).
    '.xterm .xterm-scrollable-element > .invisible.fade { transition: none; }',
  ].join('\n');
  const host = document.createElement('div');
  host.className = 'terminal-host';
  root.replaceChildren(style, host);
  terminal.open(host);
  terminal.textarea?.setAttribute('aria-label', label);
  const blink = blinkWhenQuiet(terminal, host, () => mount.dataset.renderer === 'webgl');
  // As wetty exposes window.wetty_term: lets a harness measure what readers really get.
  window.term = terminal;
  // Tab belongs to the shell (completion), which would trap keyboard users inside the
  // terminal; Shift+Tab is left to the browser so that focus can always move on.
  terminal.attachCustomKeyEventHandler((event) => !(event.key === 'Tab' && event.shiftKey));

  let socket: WebSocket | undefined;
  let disposed = false;
  let unloadRenderer = () => {};
  // WebGL on a real GPU, the DOM renderer on software GL or after a lost context.
  void useBestRenderer(terminal, mount, () => blink.rendererChanged()).then((unload) => {
    if (disposed) unload();
    else unloadRenderer = unload;
  });
  let attempt = 0;
  let wroteOutput = false;
  let renderedSinceAck = 0;
  let ackTimer: ReturnType<typeof setTimeout> | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  const send = (message: ClientMessage): boolean => {
    if (socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  };

  const sendAck = () => {
    if (ackTimer) clearTimeout(ackTimer);
    ackTimer = undefined;
    if (renderedSinceAck > 0 && send({ type: 'ack', bytes: renderedSinceAck })) renderedSinceAck = 0;
  };

  const output = new OutputQueue({
    write: (data, parsed) => terminal.write(data, parsed),
    done: (bytes) => {
      renderedSinceAck += bytes;
      if (renderedSinceAck >= ACK_EVERY_BYTES) sendAck();
      else ackTimer ??= setTimeout(sendAck, ACK_IDLE_MS);
    },
  });

  // Set from a Ctrl-C until the runner's "flushed": output produced before the interrupt.
  let dropping: ReturnType<typeof setTimeout> | undefined;
  const stopDropping = () => {
    if (dropping) clearTimeout(dropping);
    dropping = undefined;
  };

  const writeOutput = (data: Uint8Array | string, bytes: number) => {
    wroteOutput = true;
    blink.activity();
    if (dropping) output.discard(bytes);
    else output.push(data, bytes);
  };

  const sendSize = () => send({ type: 'resize', cols: terminal.cols, rows: terminal.rows });

  const onMessage = (event: MessageEvent) => {
    if (event.data instanceof ArrayBuffer) {
      writeOutput(new Uint8Array(event.data), event.data.byteLength);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(String(event.data));
    } catch {
      return; // not ours to crash on; the runner only sends JSON text frames
    }
    const parsed = serverMessage.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.type) {
      case 'hello':
        // A re-attach replays the session's recent output: start from a clean screen so
        // nothing shows twice.
        output.clear();
        stopDropping();
        renderedSinceAck = 0;
        if (wroteOutput) terminal.reset();
        writeSessionId(message.session);
        // The steps show the runner's shell unless the reader has chosen one.
        reportRunnerShell(message.shell);
        attempt = 0;
        hooks.onWorkspace(message.workspace);
        hooks.onState('connected');
        sendSize();
        break;
      case 'output':
        writeOutput(message.data, new TextEncoder().encode(message.data).byteLength);
        break;
      case 'step':
        hooks.onStep(message);
        break;
      case 'error':
        hooks.onError(message.code, message.message);
        if (message.code === 'session-ended') writeSessionId(undefined);
        break;
      case 'flushed':
        stopDropping();
        break;
      case 'exit':
        writeSessionId(undefined);
        hooks.onExit(message.code);
        break;
    }
  };

  const connect = () => {
    if (disposed) return;
    const url = new URL(TERMINAL_PATH, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const id = readSessionId();
    if (id) url.searchParams.set('session', id);
    // The shell starts at the terminal's size, so its first prompt is not wrapped wrongly.
    url.searchParams.set('cols', String(terminal.cols));
    url.searchParams.set('rows', String(terminal.rows));
    hooks.onState(attempt === 0 ? 'connecting' : 'reconnecting');
    // The credential travels as a subprotocol: a browser cannot set headers on a WebSocket.
    const ws = new WebSocket(url, socketProtocols());
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', (event) => {
      if (socket !== ws || disposed) return;
      socket = undefined;
      // Another tab took this session over (e.g. a duplicated tab). Reconnecting would take
      // it back and start a tug of war: stop here; opening the terminal again starts anew.
      if (event.code === CLOSE_CODES.replaced) {
        writeSessionId(undefined);
        hooks.onReplaced();
        return;
      }
      if (event.code === CLOSE_CODES.tooManySessions) {
        hooks.onError('too-many-sessions', event.reason);
        return;
      }
      scheduleReconnect();
    });
  };

  const scheduleReconnect = async () => {
    if (attempt >= RECONNECT_DELAYS_MS.length) {
      hooks.onLost();
      return;
    }
    hooks.onState('reconnecting');
    const delay = RECONNECT_DELAYS_MS[attempt++];
    reconnectTimer = setTimeout(connect, delay);
  };

  terminal.onData((data) => {
    blink.activity();
    // Ctrl-C: what the command printed before it is not worth waiting for (the runner drops
    // its own queue too and answers "flushed"); the prompt comes sooner.
    if (!send({ type: 'input', data }) || !data.includes('\x03')) return;
    output.dropWaiting();
    stopDropping();
    dropping = setTimeout(stopDropping, DROP_AFTER_INTERRUPT_MAX_MS);
  });
  terminal.onResize(() => sendSize());
  // Fit on every size change of the dock; the runner learns the new size through onResize.
  const observer = new ResizeObserver(() => {
    if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
  });
  observer.observe(mount);
  fit.fit();
  connect();

  return {
    run: (step) => send({ type: 'run', step }),
    check: (step) => send({ type: 'check', step }),
    focus: () => terminal.focus(),
    dispose() {
      disposed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      if (ackTimer) clearTimeout(ackTimer);
      stopDropping();
      observer.disconnect();
      blink.dispose();
      unloadRenderer();
      socket?.close(CLOSE_CODES.normal);
      if (window.term === terminal) window.term = undefined;
      terminal.dispose();
    },
  };
}
