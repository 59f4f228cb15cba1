// The outbox on a disk that fills up (server/classroom/outbox.ts): a change that did not fit
// wholly must fail, not count as kept, and must leave no torn line for the next to be glued
// onto. A real file limit (`ulimit -f`, under which Node gets short writes and then EFBIG)
// stands in for a full disk; the parent then reads the journal back without a limit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { Outbox } from '../../server/classroom/outbox.ts';

const OUTBOX = resolve(import.meta.dirname, '../../server/classroom/outbox.ts');

/** Adds events in a child process whose files may not grow beyond `kib` KiB; returns the ids it was told were kept. */
async function addUntilFull(dir: string, kib: number): Promise<{ kept: string[]; failed: string[] }> {
  const script = join(dir, 'child.mts');
  await writeFile(
    script,
    `import { Outbox } from ${JSON.stringify(OUTBOX)};
const outbox = await Outbox.open(process.argv[2], 'class-full');
const kept = [], failed = [];
for (let i = 0; i < 400 && failed.length < 3; i++) {
  const id = crypto.randomUUID();
  try { outbox.add({ id, at: 1, body: { kind: 'step', step: 'say-hello', status: 'passed', attempt: 1, durationMs: 10 } }); kept.push(id); }
  catch { failed.push(id); }
}
console.log(JSON.stringify({ kept, failed }));
`,
  );
  const state = join(dir, 'state');
  const child = spawn('bash', ['-c', `mkdir -m 700 -p "$1" && ulimit -f ${kib} && exec "$0" --import tsx "$2" "$1"`, process.execPath, state, script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  assert.equal(code, 0, `the child ran: ${out}`);
  return JSON.parse(out) as { kept: string[]; failed: string[] };
}

test('on a full disk, an event that did not fit is refused; every event reported kept is kept', { timeout: 30_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'outbox-full-'));
  try {
    const { kept, failed } = await addUntilFull(dir, 16);
    assert.ok(kept.length > 10 && failed.length > 0, `the limit was reached: ${kept.length} kept, ${failed.length} failed`);
    const state = join(dir, 'state');
    const outbox = await Outbox.open(state, 'class-full');
    assert.deepEqual(outbox.peek(1000).map((event) => event.id), kept, 'exactly the events reported kept, in order');
    // Nothing torn is left behind to be glued to the next line.
    const [journal] = (await readdir(state)).filter((name) => name.endsWith('.jsonl'));
    const text = await readFile(join(state, journal), 'utf8');
    assert.ok(text.endsWith('\n'), 'the journal ends with a whole line');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
