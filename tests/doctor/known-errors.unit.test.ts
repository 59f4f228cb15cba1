// matchKnownError on the exact texts readers see. Texts marked "seen here" were
// produced on this project's machines (Engine 20.10, CLI 28.2, rustc 1.95, Debian
// rustc 1.63); the others are quoted from the issues in the research note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KNOWN_ERROR_IDS, matchKnownError, normalizeOutput } from '../../server/steps/known-errors.ts';

const cases: Array<{ name: string; output: string; id: string }> = [
  {
    name: 'classic store builds wasi/wasm (seen here)',
    output:
      'Sending build context to Docker daemon  84.48kB\nStep 1/3 : FROM scratch\noperating system is not supported\n',
    id: 'containerd-store-off',
  },
  {
    name: 'Engine 20.10 with a full runtime name (seen here)',
    output:
      'docker: Error response from daemon: Unknown runtime specified io.containerd.wasmedge.v1\n\nRun \'docker run --help\' for more information\n',
    id: 'runtime-unknown',
  },
  {
    name: 'short runtime name without alias (Engine >= 23)',
    output: 'docker: Error response from daemon: unknown or invalid runtime name: wasmtime.\n',
    id: 'runtime-name-invalid',
  },
  {
    name: 'shim not on the daemon PATH',
    output:
      'docker: Error response from daemon: failed to start shim: failed to resolve runtime path: runtime "io.containerd.wasmedge.v1" binary not installed "containerd-shim-wasmedge-v1": file does not exist: unknown.\n',
    id: 'shim-not-installed',
  },
  {
    name: 'docker buildx build --load without the buildx plugin (seen here, Engine 20.10)',
    output: "unknown flag: --load\nSee 'docker --help'.\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n",
    id: 'buildx-missing',
  },
  {
    name: 'the image-store step on the classic store: exits 0 with overlay2 status (seen here)',
    output: '[["Backing Filesystem","extfs"],["Supports d_type","true"],["Native Overlay Diff","true"],["userxattr","false"]]\n',
    id: 'containerd-store-off',
  },
  {
    name: 'no rustc on PATH (bash)',
    output: 'bash: rustc: command not found\n',
    id: 'rust-missing',
  },
  {
    name: 'no cargo on PATH (zsh)',
    output: 'zsh: command not found: cargo\n',
    id: 'rust-missing',
  },
  {
    name: 'build stage without --platform=$BUILDPLATFORM',
    output: 'ERROR: failed to solve: rust:1.64: no match for platform in manifest sha256:4c5a: not found\n',
    id: 'build-stage-platform',
  },
  {
    name: 'buildx docker-container driver without --load',
    output:
      'WARNING: No output specified with docker-container driver. Build result will only remain in the build cache. To push result image into registry use --push or to load image into docker use --load\n',
    id: 'missing-load',
  },
  {
    name: 'run with wasi/wasm32 an image built as another platform (seen here, Engine 20.10)',
    output:
      'docker: Error response from daemon: image with reference t/scr was found but does not match the specified platform: wanted wasi/wasm32, actual: linux/amd64\n',
    id: 'wasm-platform-mismatch',
  },
  {
    name: 'image missing, docker tries to pull',
    output:
      "Unable to find image 'demo/rust_hello:latest' locally\ndocker: Error response from daemon: pull access denied for demo/rust_hello, repository does not exist or may require 'docker login'\n",
    id: 'image-not-found',
  },
  {
    name: 'image missing with --pull=never (seen here)',
    output: 'docker: Error response from daemon: No such image: demo/nothing-here:latest\n',
    id: 'image-not-found',
  },
  {
    name: 'rustup target add wasm32-wasi on Rust >= 1.84 (seen here)',
    output:
      "error: toolchain 'stable-x86_64-unknown-linux-gnu' does not support target 'wasm32-wasi'; did you mean 'wasm32-wasip1'?\nnote: you can see a list of supported targets with `rustc --print=target-list`\n",
    id: 'rust-target-renamed',
  },
  {
    name: 'cargo build --target wasm32-wasi on Rust 1.95 (seen here)',
    output:
      '  --- stderr\n  error: error loading target specification: could not find specification for target "wasm32-wasi"\n    |\n    = help: run `rustc --print target-list` for a list of built-in targets\n',
    id: 'rust-target-renamed',
  },
  {
    name: 'Debian rustc 1.63 asked for wasm32-wasip1 (seen here)',
    output:
      'error: Error loading target specification: Could not find specification for target "wasm32-wasip1". Run `rustc --print target-list` for a list of built-in targets\n',
    id: 'rust-too-old',
  },
  {
    name: 'wasm32-wasip1 std not installed (seen here)',
    output:
      "error[E0463]: can't find crate for `std`\n  |\n  = note: the `wasm32-wasip1` target may not be installed\n  = help: consider downloading the target with `rustup target add wasm32-wasip1`\n",
    id: 'rust-target-missing',
  },
  {
    name: 'CLI 28 without the buildx plugin (seen here)',
    output: "docker: unknown command: docker buildx\n\nRun 'docker --help' for more information\n",
    id: 'buildx-missing',
  },
  {
    name: 'older CLI without the buildx plugin',
    output: "docker: 'buildx' is not a docker command.\nSee 'docker --help'\n",
    id: 'buildx-missing',
  },
  {
    name: 'CLI 28 without the compose plugin (seen here)',
    output: "docker: unknown command: docker compose\n\nRun 'docker --help' for more information\n",
    id: 'compose-missing',
  },
  {
    name: 'daemon not running (seen here)',
    output: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
    id: 'daemon-unreachable',
  },
  {
    name: 'no permission on the socket',
    output:
      'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/info": dial unix /var/run/docker.sock: connect: permission denied\n',
    id: 'docker-permission',
  },
  { name: 'bash without docker', output: 'bash: docker: command not found\n', id: 'docker-missing' },
  { name: 'zsh without docker', output: 'zsh: command not found: docker\n', id: 'docker-missing' },
];

for (const c of cases) {
  test(`matches: ${c.name}`, () => {
    assert.equal(matchKnownError(c.output), c.id);
  });
}

test('every case id is a known id and every known id has a case', () => {
  const caseIds = new Set(cases.map((c) => c.id));
  for (const id of caseIds) assert.ok(KNOWN_ERROR_IDS.includes(id), `${id} is not in KNOWN_ERROR_IDS`);
  for (const id of KNOWN_ERROR_IDS) assert.ok(caseIds.has(id), `no test case for ${id}`);
});

test('ids are unique', () => {
  assert.equal(new Set(KNOWN_ERROR_IDS).size, KNOWN_ERROR_IDS.length);
});

test('pty output with colors and CRLF still matches', () => {
  const pty = '\u001b[1m\u001b[31merror\u001b[0m: toolchain \'stable-x86_64-unknown-linux-gnu\' does not support target \'wasm32-wasi\'; did you mean \'wasm32-wasip1\'?\r\n';
  assert.equal(matchKnownError(pty), 'rust-target-renamed');
  assert.equal(normalizeOutput('a\u001b[0m  b\r\nc'), 'a b\nc');
});

test('wasm32-wasip1 errors are not taken for the removed wasm32-wasi target', () => {
  assert.notEqual(
    matchKnownError('could not find specification for target "wasm32-wasip1"'),
    'rust-target-renamed',
  );
});

test('ordinary output and empty output match nothing', () => {
  assert.equal(matchKnownError(''), undefined);
  assert.equal(matchKnownError('Hello WebAssembly in Docker!\nFibonacci(35) = 9227465\n'), undefined);
  assert.equal(matchKnownError('Successfully built 0123abcd\nSuccessfully tagged demo/fibonacci_classic:latest\n'), undefined);
});
