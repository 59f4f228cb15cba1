// The participant's outbox on real files in a temp folder: it keeps no more than a seat can
// ever store, a change costs about its own size on disk (not the whole outbox), a line torn
// by a killed runner loses nothing else, and an outbox file of the earlier format is read.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MAX_EVENTS_PER_SEAT, type ClassEvent } from '../../contracts/class-api.ts';
import { Outbox } from '../../server/classroom/outbox.ts';

const folders: string[] = [];
after(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outbox-'));
  folders.push(dir);
  return dir;
}

function stepEvent(attempt: number): ClassEvent {
  return { id: randomUUID(), at: Date.now(), body: { kind: 'step', step: 'say-hello', status: 'passed', attempt, durationMs: 5 } };
}

test('it keeps at most what the class server stores for one seat, dropping the oldest', async () => {
  const dir = await folder();
  const outbox = await Outbox.open(dir, 'class-cap');
  const events = Array.from({ length: MAX_EVENTS_PER_SEAT + 3 }, (_, index) => stepEvent(index + 1));
  for (const event of events) outbox.add(event);
  assert.equal(outbox.size, MAX_EVENTS_PER_SEAT);
  assert.equal(outbox.peek(1)[0].id, events[3].id, 'the three oldest went');
  const again = await Outbox.open(dir, 'class-cap');
  assert.equal(again.size, MAX_EVENTS_PER_SEAT, 'the file keeps no more either');
  assert.equal(again.peek(1)[0].id, events[3].id);
});
