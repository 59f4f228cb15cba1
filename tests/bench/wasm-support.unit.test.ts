// The benchmark's reason for the Wasm container variants, from the doctor's verdict on
// recorded docker info outputs (tests/doctor/recorded/): an engine that cannot run Wasm
// at all says so, instead of asking the reader to build an image it cannot build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseDockerInfo } from '../../server/doctor/parse-docker.ts';
import { noWasmSupport } from '../../server/bench/doctor-verdicts.ts';
import { unavailableReasonSchema } from '../../contracts/bench-protocol.ts';

const recorded = (name: string) => parseDockerInfo(readFileSync(new URL(`../doctor/recorded/${name}`, import.meta.url), 'utf8'));

test('real Engine 20.10 with the classic store: the Wasm variants are "no-wasm-support", naming the engine', () => {
  const verdict = noWasmSupport(recorded('engine-20.10-debian.info.json'));
  assert.ok(verdict, 'Engine 20.10 without the containerd store cannot run Wasm');
  assert.equal(unavailableReasonSchema.parse(verdict.reason), 'no-wasm-support');
  assert.match(verdict.detail, /20\.10\.24/);
});

test('an Engine new enough but on the classic store: still "no-wasm-support"', () => {
  const facts = { ...recorded('handwritten-engine-29-alias.info.json'), containerdStore: false };
  assert.equal(noWasmSupport(facts)?.reason, 'no-wasm-support');
});

test('Desktop with the containerd store and Wasm runtimes: no verdict from docker info; the image and a real run decide', () => {
  assert.equal(noWasmSupport(recorded('handwritten-desktop-containerd-wasm.info.json')), undefined);
});
