// The renderer decision (components/terminal/renderer-choice.ts): WebGL only on hardware GL,
// the DOM renderer on software GL, without WebGL, and after a lost context.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseRenderer, isSoftwareRenderer } from '../../components/terminal/renderer-choice.ts';

const SOFTWARE = [
  // headless Chromium on this project's machines
  'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
  'Google SwiftShader',
  // Mesa's software rasterisers
  'llvmpipe (LLVM 15.0.6, 256 bits)',
  'ANGLE (Mesa, llvmpipe (LLVM 19.1.7 256 bits), OpenGL 4.5)',
  'softpipe',
  'Microsoft Basic Render Driver',
];
const HARDWARE = [
  'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002503) Direct3D11 vs_5_0 ps_5_0, D3D11)',
  'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)',
  'Apple M2',
  'ANGLE (AMD, AMD Radeon RX 6700 XT (radeonsi, navi22, LLVM 15.0.7, DRM 3.49), OpenGL 4.6)',
];

test('software GL gets the DOM renderer', () => {
  for (const renderer of SOFTWARE) {
    assert.equal(isSoftwareRenderer(renderer), true, renderer);
    assert.equal(chooseRenderer({ available: true, renderer }), 'dom', renderer);
  }
});

test('hardware GL gets WebGL', () => {
  for (const renderer of HARDWARE) {
    assert.equal(isSoftwareRenderer(renderer), false, renderer);
    assert.equal(chooseRenderer({ available: true, renderer }), 'webgl', renderer);
  }
});

test('no WebGL, or a renderer that does not say what it is, gets the DOM renderer', () => {
  assert.equal(chooseRenderer({ available: false, renderer: '' }), 'dom');
  assert.equal(chooseRenderer({ available: true, renderer: '' }), 'dom');
  assert.equal(chooseRenderer({ available: true, renderer: '   ' }), 'dom');
});

test('after a lost context the page falls back to the DOM renderer, even on hardware GL', () => {
  for (const renderer of HARDWARE) assert.equal(chooseRenderer({ available: true, renderer }, true), 'dom', renderer);
});
