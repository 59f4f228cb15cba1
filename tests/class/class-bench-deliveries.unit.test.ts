// bench:class's count of what reached the dashboard (tools/class-bench/deliveries.ts): the page's
// eventCount() counts event messages with their repeats, so the room's events are all there only
// when every made id was received; the feed's repeats are reported on their own, not as duplicates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dashboardHasAll, deliveries } from '../../tools/class-bench/deliveries.ts';

const made = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

test('the dashboard has the events when it received every made id, not when it counted as many messages', () => {
  // Four messages (a twice, after a reconnect), but c never came.
  assert.equal(dashboardHasAll(made, new Set(['a', 'b'])), false);
  assert.equal(dashboardHasAll(made, new Set(['a', 'b', 'c'])), true);
});

test('repeats on the feed are counted apart from events stored twice, and a lost event is one never received', () => {
  assert.deepEqual(deliveries(made, new Set(['a', 'b', 'c']), 5, { rows: 3, ids: 3 }), { lost: 0, duplicated: 0, repeated: 2 });
  assert.deepEqual(deliveries(made, new Set(['a', 'b']), 3, { rows: 4, ids: 3 }), { lost: 1, duplicated: 1, repeated: 1 });
});
