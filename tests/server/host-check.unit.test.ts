// The Host and Origin rule both servers share (contracts/host-check.ts). The servers' own
// tests (tests/server/security.test.ts, tests/class/security.test.ts) send real requests;
// these pin down the rule's edges.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostHeaderAllowed, hostPairs, originHeaderAllowed } from '../../contracts/host-check.ts';

const pairs = hostPairs(['127.0.0.1', 'localhost', '[::1]', '::1', '192.168.1.20', 'Workshop.Example'], 4321);

test('a Host must be one of our names with our port, in any case; an IPv6 address is bracketed', () => {
  for (const host of ['127.0.0.1:4321', 'LOCALHOST:4321', '[::1]:4321', '192.168.1.20:4321', 'workshop.example:4321']) {
    assert.equal(hostHeaderAllowed(pairs, host), true, host);
  }
  for (const host of [undefined, '', '127.0.0.1', '127.0.0.1:4322', 'evil.example:4321', '::1:4321', 'localhost.:4321', '127.0.0.1:4321 ']) {
    assert.equal(hostHeaderAllowed(pairs, host), false, String(host));
  }
  assert.equal(hostPairs(['::1', '[::1]'], 1).size, 1, 'a name given twice counts once');
});

test('a present Origin must be exactly http://<the Host>, and the Host ours', () => {
  assert.equal(originHeaderAllowed(pairs, '127.0.0.1:4321', undefined), true, 'no Origin (curl, a runner) passes');
  assert.equal(originHeaderAllowed(pairs, '127.0.0.1:4321', 'http://127.0.0.1:4321'), true);
  assert.equal(originHeaderAllowed(pairs, 'localhost:4321', 'HTTP://LocalHost:4321'), true);
  for (const origin of ['http://localhost:4321', 'https://127.0.0.1:4321', 'http://127.0.0.1:4321/', 'http://127.0.0.1', 'null', '']) {
    assert.equal(originHeaderAllowed(pairs, '127.0.0.1:4321', origin), false, `${origin} sent to 127.0.0.1:4321`);
  }
  assert.equal(originHeaderAllowed(pairs, 'evil.example:4321', 'http://evil.example:4321'), false, 'a rebinding name, even with its own Origin');
  assert.equal(originHeaderAllowed(pairs, undefined, 'http://127.0.0.1:4321'), false, 'an Origin without a Host');
});
