// The simulated room of bench:class, in its own process: N participants, each a real
// ClassLink (server/classroom/) with its own outbox file, joining over real HTTP and sending
// a realistic stream: every step with some failures and retries, a doctor summary, benchmark
// results. Prints one JSON line at the end: every event id it made, with its time.
//   tsx tools/class-bench/participants.ts JOIN_URL SEATS STATE_DIR [FIRST_SEAT]
import { ClassLink } from '../../server/classroom/class-link.ts';
import { parseJoinUrl } from '../../server/classroom/join-url.ts';
import { silentLog } from '../../server/app/log.ts';
import type { EventBody } from '../../contracts/class-api.ts';

const [joinUrl, seatsText, stateDir, firstText = '0'] = process.argv.slice(2);
const seats = Number(seatsText);
const first = Number(firstText);
const target = parseJoinUrl(joinUrl);
if (!target || !Number.isInteger(seats) || seats < 1 || !stateDir) {
  console.error('usage: participants.ts JOIN_URL SEATS STATE_DIR');
  process.exit(2);
}

const STEPS = ['docker-version', 'image-store', 'buildx-ls', 'hello-node-wasi', 'build-hello-prebuilt', 'run-hello-wasmtime', 'compose-up', 'fib-node-wasi', 'fib-build-classic', 'fib-run-classic', 'fib-build-wasm', 'fib-run-wasmtime'];
const KNOWN = ['containerd-store-off', 'runtime-unknown', 'buildx-missing'];
const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
const made: { id: string; at: number }[] = [];

async function participant(index: number): Promise<ClassLink> {
  const link = await ClassLink.open({ target: target!, seat: `seat-${String(index).padStart(3, '0')}`, stateDir, log: silentLog });
  // Record through the link, as the step observer does, and remember what was made.
  const record = link.record.bind(link);
  link.record = (body: EventBody) => {
    const event = record(body);
    if (event) made.push({ id: event.id, at: event.at });
    return event;
  };
  link.onJoined = () => link.record({ kind: 'doctor', checks: [{ id: 'docker-daemon', status: 'ok' }, { id: 'containerd-store', status: index % 3 ? 'fail' : 'ok' }, { id: 'wasm-runtime:wasmtime', status: index % 2 ? 'fail' : 'ok' }] });
  link.start();
  // Participants arrive over the first seconds, not all in one millisecond.
  await sleep(Math.random() * 2000);
  for (const step of STEPS) {
    let passed = false;
    while (!passed) {
      const attempt = link.nextAttempt(step);
      link.record({ kind: 'step', step, status: 'running', attempt });
      const duration = 300 + Math.random() * 1200;
      await sleep(duration);
      passed = Math.random() > 0.2 || attempt >= 3;
      link.record(
        passed
          ? { kind: 'step', step, status: 'passed', attempt, durationMs: Math.round(duration) }
          : { kind: 'step', step, status: 'failed', attempt, durationMs: Math.round(duration), reason: 'exit-code', ...(Math.random() < 0.5 ? { knownError: KNOWN[index % KNOWN.length] } : {}) },
      );
      if (!passed && Math.random() < 0.1) link.record({ kind: 'help', step, lines: ['Error: operating system is not supported', 'exit code 1'] });
    }
  }
  for (const [variant, mean] of [['node-wasi', 45], ['container-classic', 600], ['container-wasmtime', 820]] as const) {
    const meanMs = mean * (0.8 + Math.random() * 0.4);
    link.record({ kind: 'bench', variant, meanMs, medianMs: meanMs * 0.98, runs: 10 });
  }
  return link;
}

const links = await Promise.all(Array.from({ length: seats }, (_, index) => participant(first + index)));
// Wait until every outbox is empty (the class server has acknowledged everything).
while (links.some((link) => { const state = link.state(); return state.joined && state.pending > 0; })) await sleep(100);
await Promise.all(links.map((link) => link.close()));
// A pipe takes large writes asynchronously: exit only once all of it is out.
process.stdout.write(`${JSON.stringify({ made })}\n`, () => process.exit(0));
