// Runs in headless Chromium (tools/terminal-bench/cli.ts drives it through window.bench).
// Writes every binary frame into xterm.js and acknowledges rendered bytes, as the
// workshop's terminal does (components/terminal/terminal-session.ts).
import { Terminal } from '/xterm.mjs';

const ACK_EVERY_BYTES = 64 * 1024;
const term = new Terminal({ cols: 120, rows: 30, scrollback: 1000 });
term.open(document.getElementById('terminal'));

let ws;
let unacked = 0;
let tail = '';
const decoder = new TextDecoder();
const watchers = new Set();

function onRendered(text) {
  tail = (tail + text).slice(-4096);
  for (const watcher of [...watchers]) {
    if (tail.includes(watcher.text)) {
      watchers.delete(watcher);
      watcher.resolve(performance.now());
    }
  }
}

/** Resolves with the time at which `text` has been rendered by xterm.js. */
function rendered(text, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    const watcher = { text, resolve };
    watchers.add(watcher);
    setTimeout(() => {
      if (watchers.delete(watcher)) reject(new Error(`timed out waiting for ${JSON.stringify(text)}`));
    }, timeoutMs);
  });
}

function send(message) {
  ws.send(JSON.stringify(message));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

window.bench = {
  async connect() {
    ws = new WebSocket(`ws://${location.host}/api/terminal?cols=120&rows=30`);
    ws.binaryType = 'arraybuffer';
    await new Promise((resolve, reject) => {
      ws.onmessage = (event) => {
        if (typeof event.data === 'string') {
          if (JSON.parse(event.data).type === 'hello') resolve();
          return;
        }
        const bytes = new Uint8Array(event.data);
        const text = decoder.decode(bytes, { stream: true });
        term.write(bytes, () => {
          unacked += bytes.length;
          if (unacked >= ACK_EVERY_BYTES) {
            send({ type: 'ack', bytes: unacked });
            unacked = 0;
          }
          onRendered(text);
        });
      };
      ws.onerror = () => reject(new Error('socket failed'));
    });
    // Acks also after a quiet moment, so that small outputs do not wait for 64 KiB.
    setInterval(() => {
      if (unacked > 0) {
        send({ type: 'ack', bytes: unacked });
        unacked = 0;
      }
    }, 50);
    send({ type: 'input', data: "PS1='BENCH> '; echo ready-$((40+2))\r" });
    await rendered('ready-42');
    await sleep(200);
  },

  /** MB/s of `bytes` of printable output, from Enter to the end marker on screen. */
  async throughput(bytes) {
    const started = performance.now();
    send({ type: 'input', data: `yes 'the quick brown fox jumps over the lazy dog 0123456789' | head -c ${bytes}; echo; echo done-$((6*7))-flood\r` });
    const finished = await rendered('done-42-flood');
    await sleep(200);
    return { seconds: (finished - started) / 1000, mbPerSecond: bytes / 1e6 / ((finished - started) / 1000) };
  },

  /** Milliseconds from sending one keystroke to its echo on screen. */
  async echo(count) {
    const latencies = [];
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (let i = 0; i < count; i++) {
      const key = letters[i % letters.length];
      tail = '';
      const echoed = rendered(key, 10_000);
      const started = performance.now();
      send({ type: 'input', data: key });
      latencies.push((await echoed) - started);
      await sleep(10);
      // Keep the line short: erase it now and then (Ctrl-U), and let that settle.
      if (i % 40 === 39) {
        send({ type: 'input', data: '\x15' });
        await sleep(50);
      }
    }
    send({ type: 'input', data: '\x15' });
    await sleep(100);
    return latencies;
  },

  /** Milliseconds from Ctrl-C during a flood to the prompt on screen. */
  async ctrlC() {
    send({ type: 'input', data: "yes 'flooding the terminal until Ctrl-C arrives 0123456789'\r" });
    await sleep(1500);
    tail = '';
    const started = performance.now();
    send({ type: 'input', data: '\x03' });
    const prompt = await rendered('BENCH> ');
    await sleep(300);
    return prompt - started;
  },
};
window.benchReady = true;
