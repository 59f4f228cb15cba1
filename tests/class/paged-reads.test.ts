// The trainer's two big reads, the feed's backlog and the benchmark export, go out in pages: the
// class server reads a page of stored events, writes it, and waits for the socket to drain before
// it reads on. A dashboard that reads slowly (or not at all) holds the server to about a page,
// however many events are stored, and no live event falls between the backlog and the live feed
// or arrives twice; an export under way ends when its trainer signs out. The real HTTP server in
// this process (so that the test can see how much the server holds for one response), real SQLite
// in a temp folder, loopback sockets only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { get, type IncomingMessage, type ServerResponse } from 'node:http';
import { test } from 'node:test';
import { CLASS_PATHS, MAX_HELP_LINE_CHARS, MAX_HELP_LINES, type ClassEvent, type FeedMessage } from '../../contracts/class-api.ts';
import { startClassServer, type RunningClassServer } from '../../class/class-server.ts';
import { joinClass, removeDir, tempDir, trainerCredential, waitFor } from './class-harness.ts';

/** What the server may hold for one response that is not read: a page's worth, far below the backlog. */
const HELD_AT_MOST = 1024 * 1024;

const helpEvent = (): ClassEvent => ({ id: randomUUID(), at: Date.now(), body: { kind: 'help', step: 'say-hello', lines: Array.from({ length: MAX_HELP_LINES }, () => 'x'.repeat(MAX_HELP_LINE_CHARS)) } });
const stepEvent = (): ClassEvent => ({ id: randomUUID(), at: Date.now(), body: { kind: 'step', step: 'say-hello', status: 'passed', attempt: 1 } });
const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

interface Class {
  running: RunningClassServer;
  trainer: string;
  seat: { credential: string; seatId: string };
  /** The server's side of the last request to `path`: how much it holds for the client. */
  responseTo(path: string): ServerResponse;
}

async function withClass(seatName: string, use: (c: Class) => Promise<void>, feedBehindBytes?: number): Promise<void> {
  const dataDir = await tempDir('paged-reads');
  // The budgets are not what this is about: room for a big backlog in one seat.
  const running = await startClassServer({ dataDir, name: 'Pages', limits: { eventsPerSeat: 1e9, bytesPerSeat: 1e12, bytesPerClass: 1e12 }, feedBehindBytes });
  const seen: { path: string; response: ServerResponse }[] = [];
  running.http.on('request', (request: IncomingMessage, response: ServerResponse) => void seen.push({ path: request.url ?? '', response }));
  try {
    const target = { origin: running.origin, code: running.classCode, trainerLink: running.trainerLink };
    const trainer = await trainerCredential(target);
    const seat = await joinClass(target, seatName);
    await use({ running, trainer, seat, responseTo: (path) => seen.findLast((entry) => entry.path === path)!.response });
  } finally {
    await running.close();
    await removeDir(dataDir);
  }
}

/** A GET whose answer is not read until the test reads it: a dashboard on a slow network, or a stalled tab. */
function stalledGet(origin: string, path: string, credential: string): Promise<IncomingMessage> {
  return new Promise((resolveGet, rejectGet) => {
    const url = new URL(path, origin);
    get({ host: url.hostname, port: url.port, path, headers: { authorization: `Bearer ${credential}` } }, (response) => resolveGet(response)).on('error', rejectGet);
  });
}

/** Waits until the server's socket pushes back (or all is written), then a little longer: what it holds then is what it keeps holding. */
async function heldFor(response: ServerResponse): Promise<number> {
  await waitFor('the socket to push back', () => response.writableNeedDrain || response.writableEnded || undefined, 20_000);
  await sleep(300);
  return response.writableLength;
}

/** Reads Server-Sent Events from a response, message by message, for as long as asked. */
function feedReader(response: IncomingMessage) {
  const chunks = response[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const messages: FeedMessage[] = [];
  let buffer = '';
  return {
    messages,
    async until(done: (messages: FeedMessage[]) => boolean, timeoutMs = 20_000): Promise<void> {
      // A message that never comes ends the stream, and the test with it, instead of hanging.
      const timer = setTimeout(() => response.destroy(), timeoutMs);
      try {
        await read(done);
      } finally {
        clearTimeout(timer);
      }
    },
  };
  async function read(done: (messages: FeedMessage[]) => boolean): Promise<void> {
    while (!done(messages)) {
      const { value, done: ended } = await chunks.next().catch(() => ({ value: undefined, done: true as const }));
      if (ended) throw new Error(`the feed ended after ${messages.length} messages`);
      buffer += value.toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const data = buffer.slice(0, end).split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('');
        buffer = buffer.slice(end + 2);
        if (data) messages.push(JSON.parse(data) as FeedMessage);
      }
    }
  }
}

async function post(origin: string, credential: string, events: ClassEvent[]): Promise<number> {
  const response = await fetch(`${origin}${CLASS_PATHS.events}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }, body: JSON.stringify({ events }) });
  await response.arrayBuffer();
  return response.status;
}

test('a dashboard that reads slowly holds the server to a page of the backlog, and gets every event once, live ones after it', { timeout: 120_000 }, async () => {
  await withClass('Talker', async ({ running, trainer, seat, responseTo }) => {
    // 4,000 of the largest help requests, about 48 MB: stored directly, the budgets are not the point.
    for (let i = 0; i < 4_000; i += 100) running.store.addEvents(seat.seatId, Array.from({ length: 100 }, helpEvent));
    const backlogTo = running.store.lastSeq();
    const path = `${CLASS_PATHS.trainerFeed}?after=0`;
    const stalled = await stalledGet(running.origin, path, trainer);
    const held = await heldFor(responseTo(path));
    assert.ok(held < HELD_AT_MOST, `the server holds ${held} bytes for a dashboard that reads nothing, of a 48 MB backlog`);

    // Events that arrive while the backlog waits: they come after it, each once.
    const live = [stepEvent(), stepEvent(), stepEvent()];
    assert.equal(await post(running.origin, seat.credential, live), 200);
    const feed = feedReader(stalled);
    const has = (id: string) => (messages: FeedMessage[]) => messages.some((m) => m.type === 'event' && m.event.id === id);
    await feed.until(has(live[2].id));
    // Caught up, the same stream is live; and whatever came twice would have come before this.
    const later = stepEvent();
    assert.equal(await post(running.origin, seat.credential, [later]), 200);
    await feed.until(has(later.id));
    stalled.destroy();

    const [hello, ...rest] = feed.messages;
    assert.ok(hello.type === 'hello' && hello.lastSeq === backlogTo, `the hello names where the backlog ends: ${JSON.stringify({ ...hello, seats: undefined })}`);
    const events = rest.flatMap((m) => (m.type === 'event' ? [m.event] : []));
    assert.ok(events.every((event, i) => i === 0 || event.seq > events[i - 1].seq), 'in order, none twice');
    assert.equal(events.length, backlogTo + live.length + 1, 'every stored event, the live ones and the later one');
    assert.deepEqual(events.slice(-4).map((event) => event.id), [...live, later].map((event) => event.id), 'the live ones after the backlog');
  });
});

test('the benchmark export goes out in pages too, in JSON and CSV, every row once and in order', { timeout: 120_000 }, async () => {
  // A long seat name and variant: 60,000 results are about 11 MB of JSON and 8 MB of CSV.
  await withClass('A participant with a long seat name 12', async ({ running, trainer, seat, responseTo }) => {
    const variant = 'node-wasi-with-a-rather-long-variant-id';
    const results = 60_000;
    for (let i = 0; i < results; i += 1_000) {
      running.store.addEvents(seat.seatId, Array.from({ length: 1_000 }, (_, j) => ({ id: randomUUID(), at: 1_764_590_000_000, body: { kind: 'bench', variant, meanMs: i + j, medianMs: 1.5, runs: 10 } })));
    }
    // Not part of the export, stored among the results.
    running.store.addEvents(seat.seatId, [stepEvent()]);
    for (const format of ['json', 'csv'] as const) {
      const path = `${CLASS_PATHS.trainerExport}?format=${format}`;
      const stalled = await stalledGet(running.origin, path, trainer);
      assert.equal(stalled.statusCode, 200);
      const held = await heldFor(responseTo(path));
      assert.ok(held < HELD_AT_MOST, `${format}: the server holds ${held} bytes for a download that is not read`);
      let body = '';
      for await (const chunk of stalled as AsyncIterable<Buffer>) body += chunk.toString('utf8');
      if (format === 'json') {
        const parsed = JSON.parse(body) as { className: string; results: { seat: string; meanMs: number }[] };
        assert.equal(parsed.className, 'Pages');
        assert.equal(parsed.results.length, results);
        assert.ok(parsed.results.every((row, i) => row.meanMs === i && row.seat === 'A participant with a long seat name 12'), 'every result once, in the order stored');
      } else {
        const lines = body.split('\n');
        assert.equal(lines[0], 'seat,variant,mean_ms,median_ms,runs,at');
        assert.equal(lines.length, results + 2, 'the header, every result, and the final newline');
        assert.equal(lines.at(-1), '');
        assert.ok(lines.slice(1, -1).every((line, i) => line.startsWith(`A participant with a long seat name 12,${variant},${i},`)), 'every result once, in order');
      }
    }
  });
});

test('an export that is running when its trainer signs out ends there, however much is left', { timeout: 120_000 }, async () => {
  await withClass('A participant with a long seat name 12', async ({ running, trainer, seat, responseTo }) => {
    // About 11 MB of JSON: more than the sockets between the two ends hold, so most of it is still to come.
    const results = 60_000;
    for (let i = 0; i < results; i += 1_000) {
      running.store.addEvents(seat.seatId, Array.from({ length: 1_000 }, (_, j) => ({ id: randomUUID(), at: 1_764_590_000_000, body: { kind: 'bench', variant: 'node-wasi-with-a-rather-long-variant-id', meanMs: i + j, medianMs: 1.5, runs: 10 } })));
    }
    const path = `${CLASS_PATHS.trainerExport}?format=json`;
    // Not read until the sign-out has its answer: the export waits for the socket to drain meanwhile,
    // so what follows does not depend on how fast either side is.
    const stalled = await stalledGet(running.origin, path, trainer);
    assert.equal(stalled.statusCode, 200);
    await heldFor(responseTo(path));
    assert.ok(!responseTo(path).writableEnded, 'the export is still under way');

    const answer = await fetch(`${running.origin}${CLASS_PATHS.trainerSignOut}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${trainer}` }, body: '{}' });
    assert.equal(answer.status, 200);
    // Cut off as the sign-out is answered, not when the reader reads on: a stalled reader keeps nothing.
    assert.ok(responseTo(path).destroyed, 'the export is destroyed by the time the sign-out is answered');

    // What was in the sockets still arrives, then the answer ends, short of the whole export.
    let body = '';
    await new Promise<void>((resolveRead) => {
      stalled.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      stalled.on('end', resolveRead);
      stalled.on('close', resolveRead);
      stalled.on('error', () => resolveRead());
    });
    const rows = body.split('"meanMs":').length - 1;
    assert.ok(rows < results, `the reader got ${rows} of ${results} rows after the sign-out`);
    assert.ok(!body.endsWith(']}'), 'and not the end of the JSON');
  });
});

/** A smaller bound than the class server's own, so that the tests reach it quickly. */
const BEHIND = 256 * 1024;

test('a dashboard stalled in its backlog is dropped once the live events held for it pass the bound', { timeout: 120_000 }, async () => {
  await withClass(
    'Talker',
    async ({ running, trainer, seat, responseTo }) => {
      for (let i = 0; i < 2_000; i += 100) running.store.addEvents(seat.seatId, Array.from({ length: 100 }, helpEvent));
      const path = `${CLASS_PATHS.trainerFeed}?after=0`;
      const stalled = await stalledGet(running.origin, path, trainer);
      await heldFor(responseTo(path));
      // Live help requests while the backlog waits: each is held for this dashboard until it reads on.
      for (let i = 0; i < 10 && !responseTo(path).destroyed; i++) assert.equal(await post(running.origin, seat.credential, [helpEvent(), helpEvent(), helpEvent(), helpEvent()]), 200);
      await waitFor('the stalled dashboard to be dropped', () => responseTo(path).destroyed || undefined, 10_000);
      stalled.destroy();
      // A dashboard that reconnects from its last seq gets everything from the store.
      const again = feedReader(await stalledGet(running.origin, `${CLASS_PATHS.trainerFeed}?after=${running.store.lastSeq() - 1}`, trainer));
      await again.until((messages) => messages.some((m) => m.type === 'event'));
    },
    BEHIND,
  );
});

test('a live dashboard that stops reading is dropped once the server would hold more than the bound for it', { timeout: 120_000 }, async () => {
  await withClass(
    'Talker',
    async ({ running, trainer, seat, responseTo }) => {
      const path = `${CLASS_PATHS.trainerFeed}?after=0`;
      const stalled = await stalledGet(running.origin, path, trainer);
      await sleep(200);
      // More seats, so that the per-seat write rate does not end the flow first.
      const seats = [seat, ...(await Promise.all([1, 2, 3, 4, 5].map((n) => joinClass({ origin: running.origin, code: running.classCode }, `Talker ${n}`))))];
      let most = 0;
      for (let i = 0; i < 60 && !responseTo(path).destroyed; i++) {
        for (const one of seats) assert.equal(await post(running.origin, one.credential, [helpEvent(), helpEvent(), helpEvent(), helpEvent()]), 200);
        most = Math.max(most, responseTo(path).writableLength);
      }
      assert.ok(responseTo(path).destroyed, `dropped (the server held at most ${most} bytes for it)`);
      assert.ok(most <= BEHIND + 64 * 1024, `held at most about the bound: ${most}`);
      stalled.destroy();
    },
    BEHIND,
  );
});
