// Security probes against a real class server process (docs/classroom.md, threat model):
// the join code only joins, a seat writes only its own events and reads nothing of the
// class, the trainer credential is separate and its link works once, foreign Origin and
// Host are refused, and bad bodies are refused without harm.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CLASS_PATHS, MAX_BODY_BYTES } from '../../contracts/class-api.ts';
import { caughtUp, joinClass as join, readFeed, removeDir, startClassProcess, tempDir, trainerCredential, type ClassProcess } from './class-harness.ts';

let server: ClassProcess;
let dataDir: string;
let trainer: string;

before(async () => {
  dataDir = await tempDir('security');
  server = await startClassProcess({ dataDir, name: 'Probe' });
  trainer = await trainerCredential(server);
});

after(async () => {
  await server?.kill();
  await removeDir(dataDir);
});

/** A raw request, so that Host, Origin and broken bodies can be sent as an attacker would. */
function raw(options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<{ status: number; body: string }> {
  return new Promise((resolveRequest, rejectRequest) => {
    const req = request({ host: '127.0.0.1', port: server.port, method: options.method ?? 'GET', path: options.path, headers: { host: `127.0.0.1:${server.port}`, ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolveRequest({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolveRequest({ status: 0, body: '' }) : rejectRequest(error)));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const json = (body: unknown) => ({ 'content-type': 'application/json', body: JSON.stringify(body) });
const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });

function stepEvent(step = 'docker-version') {
  return { id: randomUUID(), at: Date.now(), body: { kind: 'step', step, status: 'passed', attempt: 1, durationMs: 10 } };
}

async function storedEvents(): Promise<{ seat: string; id: string }[]> {
  // The backlog comes in pages after the hello, which names the seq it ends at: read up to there.
  const messages = (await readFeed(server.origin, trainer, caughtUp())) as { type: string; event?: { seat: string; id: string } }[];
  return messages.filter((m) => m.type === 'event').map((m) => m.event!);
}

test('the join code reads nothing: not the feed, a seat view, the export, nor the dashboard data', async () => {
  // The class code is not even shaped like a credential; try it where a bearer goes, and padded to one.
  const padded = `${server.code.replace('-', '')}${'A'.repeat(43)}`.slice(0, 43);
  for (const credential of [server.code, padded]) {
    for (const path of [CLASS_PATHS.trainerFeed, CLASS_PATHS.seat, `${CLASS_PATHS.trainerExport}?format=json`]) {
      const response = await raw({ path, headers: { authorization: `Bearer ${credential}` } });
      assert.equal(response.status, 401, `${path} with the class code answered ${response.status}`);
    }
  }
  // Joining is all it does.
  const seat = await join(server, 'Probe seat');
  assert.match(seat.credential, /^[A-Za-z0-9_-]{43}$/);
});

test('a seat writes only its own events and cannot read the class or act as the trainer', async () => {
  const alice = await join(server, 'Alice');
  const bob = await join(server, 'Bob');
  // Naming another seat in the body is refused: the seat comes from the credential only.
  const forged = { events: [{ ...stepEvent(), seat: bob.seatId }] };
  assert.equal((await raw({ method: 'POST', path: CLASS_PATHS.events, headers: { ...bearer(alice.credential), 'content-type': 'application/json' }, body: JSON.stringify(forged) })).status, 400);
  const forgedBody = { events: [{ ...stepEvent(), body: { ...stepEvent().body, seat: bob.seatId } }] };
  assert.equal((await raw({ method: 'POST', path: CLASS_PATHS.events, headers: { ...bearer(alice.credential), 'content-type': 'application/json' }, body: JSON.stringify(forgedBody) })).status, 400);

  const event = stepEvent();
  const ok = await raw({ method: 'POST', path: CLASS_PATHS.events, headers: { ...bearer(alice.credential), 'content-type': 'application/json' }, body: JSON.stringify({ events: [event] }) });
  assert.equal(ok.status, 200, ok.body);
  // Bob re-sending Alice's event id does not move it to Bob.
  await raw({ method: 'POST', path: CLASS_PATHS.events, headers: { ...bearer(bob.credential), 'content-type': 'application/json' }, body: JSON.stringify({ events: [event] }) });
  const stored = (await storedEvents()).filter((e) => e.id === event.id);
  assert.deepEqual(stored.map((e) => e.seat), [alice.seatId]);

  for (const [method, path, body] of [
    ['GET', CLASS_PATHS.trainerFeed, undefined],
    ['GET', `${CLASS_PATHS.trainerExport}?format=csv`, undefined],
    ['POST', CLASS_PATHS.trainerBroadcast, JSON.stringify({ text: 'pwned' })],
    ['PUT', CLASS_PATHS.trainerRules, JSON.stringify({ medianFactor: 2, failuresInRow: 2, knownError: false })],
  ] as const) {
    const response = await raw({ method, path, headers: { ...bearer(alice.credential), 'content-type': 'application/json' }, body });
    assert.equal(response.status, 401, `${method} ${path} as a seat answered ${response.status}`);
  }
  // A seat's own view names only itself.
  const view = await raw({ path: CLASS_PATHS.seat, headers: bearer(alice.credential) });
  assert.equal(view.status, 200);
  assert.ok(!view.body.includes('Bob'), view.body);
  assert.deepEqual(Object.keys(JSON.parse(view.body)).sort(), ['broadcast', 'className', 'seatName']);
});

test('the trainer link works once, and the trainer credential is not a seat credential', async () => {
  const code = new URL(server.trainerLink).hash.replace('#trainer=', '');
  const again = await raw({ method: 'POST', path: CLASS_PATHS.trainerExchange, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  assert.equal(again.status, 403);
  const asSeat = await raw({ method: 'POST', path: CLASS_PATHS.events, headers: { ...bearer(trainer), 'content-type': 'application/json' }, body: JSON.stringify({ events: [stepEvent()] }) });
  assert.equal(asSeat.status, 401);
});

test('a foreign Origin or Host is refused, also with valid credentials', async () => {
  const foreignOrigin = await raw({ path: CLASS_PATHS.trainerFeed, headers: { ...bearer(trainer), origin: 'http://evil.example' } });
  assert.equal(foreignOrigin.status, 403);
  const otherPort = await raw({ path: CLASS_PATHS.trainerFeed, headers: { ...bearer(trainer), origin: `http://127.0.0.1:${server.port + 1}` } });
  assert.equal(otherPort.status, 403);
  for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `192.168.1.20:${server.port}`]) {
    const response = await raw({ method: 'POST', path: CLASS_PATHS.join, headers: { host, 'content-type': 'application/json' }, body: JSON.stringify({ code: server.code, seat: 'Rebinder' }) });
    assert.equal(response.status, 421, `Host ${host} answered ${response.status}`);
  }
  const ownOrigin = await raw({ path: `${CLASS_PATHS.trainerExport}?format=json`, headers: { ...bearer(trainer), origin: `http://127.0.0.1:${server.port}` } });
  assert.equal(ownOrigin.status, 200);
});

test('oversized, malformed and mistyped bodies are refused without harm', async () => {
  const seat = await join(server, 'Fuzzer');
  const before = (await storedEvents()).length;
  const headers = { ...bearer(seat.credential), 'content-type': 'application/json' };
  const huge = JSON.stringify({ events: [{ ...stepEvent(), body: { kind: 'help', lines: ['x'.repeat(MAX_BODY_BYTES)] } }] });
  assert.equal((await raw({ method: 'POST', path: CLASS_PATHS.events, headers, body: huge })).status, 413);
  // Without a Content-Length (chunked), the limit still holds while reading.
  assert.ok([0, 413].includes((await raw({ method: 'POST', path: CLASS_PATHS.events, headers: { ...headers, 'transfer-encoding': 'chunked' }, body: Buffer.alloc(MAX_BODY_BYTES * 2, 'a') })).status));
  for (const body of ['{', 'null', '[]', '{"events":[]}', JSON.stringify({ events: Array.from({ length: 101 }, () => stepEvent()) }), JSON.stringify({ events: [{ ...stepEvent(), id: 'not-a-uuid' }] }), JSON.stringify({ events: [{ ...stepEvent(), body: { kind: 'run', command: 'rm -rf /' } }] }), JSON.stringify({ events: [{ ...stepEvent('Not A Step; rm') }] }), JSON.stringify({ events: [{ ...stepEvent(), at: 9e15 }] })]) {
    const response = await raw({ method: 'POST', path: CLASS_PATHS.events, headers, body });
    assert.equal(response.status, 400, `${body.slice(0, 60)} answered ${response.status}`);
    assert.ok(JSON.parse(response.body).message, 'the refusal says what is wrong');
  }
  assert.equal((await raw({ method: 'POST', path: CLASS_PATHS.events, headers: { ...bearer(seat.credential), 'content-type': 'text/plain' }, body: '{}' })).status, 415);
  assert.equal((await raw({ method: 'POST', path: CLASS_PATHS.join, ...{ headers: { 'content-type': 'application/json' } }, body: JSON.stringify({ code: server.code, seat: '<script>' }) })).status, 400);
  // A time no Date can hold once broke the trainer's CSV export for good (security review).
  // Nothing was stored, and the server still works.
  assert.equal((await storedEvents()).length, before);
  const fine = await raw({ method: 'POST', path: CLASS_PATHS.events, headers, ...json({ events: [stepEvent()] }) });
  assert.equal(fine.status, 200);
});

test('guessing the class code is rate limited per address', async () => {
  const wrong = server.code === 'AAAA-AAAA' ? 'BBBB-BBBB' : 'AAAA-AAAA';
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++) {
    statuses.push((await raw({ method: 'POST', path: CLASS_PATHS.join, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: wrong, seat: 'Guesser' }) })).status);
  }
  assert.ok(statuses.includes(403), 'a wrong code is refused');
  assert.equal(statuses.at(-1), 429, `after many wrong codes the address is slowed down: ${statuses.join(',')}`);
  // Even the right code waits now: a guesser cannot tell it found it.
  assert.equal((await raw({ method: 'POST', path: CLASS_PATHS.join, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: server.code, seat: 'Late' }) })).status, 429);
});
