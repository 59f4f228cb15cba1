// Property test: thousands of malformed, oversized and binary frames at a live runner.
// Every bad frame gets an error frame (oversized ones close the socket with 1009); the
// server never crashes, keeps answering health, and the session keeps working.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { CLOSE_CODES, MAX_CLIENT_MESSAGE_BYTES, parseClientMessage, TERMINAL_PATH } from '../../contracts/terminal-protocol.ts';
import { startTestRunner, TerminalClient, type TestRunner } from './runner-harness.ts';

let runner: TestRunner;
let sessionId: string;
before(async () => {
  runner = await startTestRunner();
});
after(() => runner.dispose());

type Frame = { kind: 'text'; text: string } | { kind: 'binary'; bytes: Uint8Array } | { kind: 'oversized'; text: string };

const messageLike = fc.record(
  {
    type: fc.oneof(fc.constantFrom('input', 'resize', 'run', 'ack', 'output', 'hello', '', 'INPUT'), fc.string(), fc.integer()),
    data: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string())),
    cols: fc.oneof(fc.integer(), fc.double(), fc.string()),
    rows: fc.oneof(fc.integer({ min: -10, max: 10_000 }), fc.constant(null)),
    step: fc.oneof(fc.string(), fc.stringMatching(/^[a-z0-9-]{1,90}$/), fc.constant('../etc/passwd')),
    bytes: fc.oneof(fc.integer(), fc.double(), fc.string()),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);

const frame: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 12, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ kind: 'text' as const, text })) },
  { weight: 12, arbitrary: messageLike.map((m) => ({ kind: 'text' as const, text: JSON.stringify(m) })) },
  { weight: 6, arbitrary: fc.json().map((text) => ({ kind: 'text' as const, text })) },
  { weight: 6, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'binary' as const, bytes })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('{"type":"input","data":"', '[', 'x').map((start) => ({
      kind: 'oversized' as const,
      text: start + 'a'.repeat(MAX_CLIENT_MESSAGE_BYTES + 10),
    })),
  },
);

/** Valid input frames would type random text into a real shell: make them harmless. */
function defang(f: Frame): Frame {
  if (f.kind !== 'text') return f;
  const parsed = parseClientMessage(f.text);
  if (parsed.ok && parsed.message.type === 'input') return { kind: 'text', text: JSON.stringify({ type: 'input', data: '' }) };
  return f;
}

let client: TerminalClient | undefined;
async function connected(): Promise<TerminalClient> {
  if (client && client.closeCode === undefined) return client;
  const query = sessionId ? `&session=${sessionId}` : '';
  client = new TerminalClient(new WebSocket(`ws://127.0.0.1:${runner.port}${TERMINAL_PATH}?${query.replace(/^&/, '')}`, { headers: { authorization: `Bearer ${runner.token}` } }));
  await client.opened;
  await client.waitFor((m) => m.type === 'hello');
  sessionId = client.session;
  return client;
}

test('thousands of bad frames: error frames, 1009 for oversized ones, no crash', async () => {
  let frames = 0;
  let sentinel = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(frame.map(defang), { minLength: 1, maxLength: 30 }), async (batch) => {
      const c = await connected();
      const errorsBefore = c.messages.filter((m) => m.type === 'error').length;
      let expectedErrors = 0;
      for (const f of batch) {
        frames++;
        if (f.kind === 'oversized') {
          c.ws.send(f.text);
          assert.equal(await c.closed, CLOSE_CODES.messageTooBig);
          return;
        }
        if (f.kind === 'binary') {
          c.ws.send(f.bytes, { binary: true });
          expectedErrors++;
        } else {
          c.ws.send(f.text);
          if (!parseClientMessage(f.text).ok) expectedErrors++;
        }
      }
      // Frames are handled in order: once the sentinel's answer is here, so are the others'.
      const id = `fuzz-sentinel-${sentinel++}`;
      c.send({ type: 'run', step: id });
      await c.waitFor((m) => m.type === 'error' && m.code === 'unknown-step' && m.message.includes(`"${id}"`));
      const errors = c.messages.filter((m) => m.type === 'error').length - errorsBefore;
      // Valid run requests for unknown ids answer with errors too, so at least:
      assert.ok(errors >= expectedErrors + 1, `${errors} error frames for ${expectedErrors} bad frames`);
    }),
    { numRuns: 300 },
  );
  assert.ok(frames > 1500, `sent ${frames} frames`);

  const health = await fetch(`http://127.0.0.1:${runner.port}/api/health`);
  assert.equal(health.status, 200);
  assert.equal((await health.json()).ok, true);
  const c = await connected();
  c.type('echo "survived $((6 * 7))"\r');
  await c.waitForOutput('survived 42');
  await c.close();
});

test('a burst of 1000 binary frames and 1000 non-JSON frames', async () => {
  const c = await connected();
  const before = c.messages.length;
  for (let i = 0; i < 1000; i++) c.ws.send(Buffer.from([i & 0xff, 0, 0xff, 0x1b]), { binary: true });
  for (let i = 0; i < 1000; i++) c.ws.send(`{"type":"input","data":${i}`);
  await c.until(() => c.messages.length - before >= 2000, '2000 error frames', 30_000);
  const codes = new Set(c.messages.slice(before).map((m) => (m.type === 'error' ? m.code : m.type)));
  assert.deepEqual([...codes].sort(), ['bad-json', 'binary-frame']);
  assert.equal((await fetch(`http://127.0.0.1:${runner.port}/api/health`)).status, 200);
  await c.close();
});
