// Every runnable step of the workshop, once, for both languages. Pages show a step
// with <Step id="..."/>; the runner executes it by id from the built manifest.
// Test containers must never reach the network or pull: --network none --pull=never.
import { defineSteps } from '../contracts/step-schema.ts';

/**
 * Rebuilds `<name>.wasm` from the reader's own src/main.rs with whichever Rust on this
 * machine has a WASI preview 1 standard library: rustup's (target wasm32-wasip1, Rust
 * 1.78 and later) or Debian's rustc with libstd-rust-dev-wasm32 (still called wasm32-wasi).
 */
const rebuildWasm = (name: string) =>
  'for r in rustc /usr/bin/rustc; do for t in wasm32-wasip1 wasm32-wasi; do ' +
  '[ -d "$($r --print sysroot 2>/dev/null)/lib/rustlib/$t" ] && break 2; done; done; ' +
  `echo "$r, target $t"; $r --edition 2021 -O --target $t -o ${name}.wasm src/main.rs`;

export const steps = defineSteps([
  // ---- docker-desktop-setup ----
  { id: 'docker-version', command: "docker version --format '{{.Server.Version}}'", requires: ['docker'], timeoutSeconds: 30 },
  {
    id: 'image-store',
    command: "docker info --format '{{json .DriverStatus}}'",
    expect: 'io.containerd.snapshotter.v1',
    requires: ['docker'],
    timeoutSeconds: 30,
  },
  { id: 'buildx-ls', command: 'docker buildx ls', requires: ['docker', 'buildx'], timeoutSeconds: 30 },
  {
    id: 'buildx-create',
    command: 'docker buildx create --name wasm-builder --platform wasi/wasm\ndocker buildx use wasm-builder',
    requires: ['docker', 'buildx'],
    timeoutSeconds: 60,
  },

  // ---- docker-build ----
  { id: 'hello-node-wasi', dir: 'hello', command: 'node ../run-wasi.mjs hello.wasm', expect: 'Hello WebAssembly in Docker!', timeoutSeconds: 30 },
  {
    // Exercise: the reader changed the greeting in the editor. The check compares what the
    // new module prints with the string in their main.rs (docs/steps.md, "Exercises").
    id: 'hello-rebuild-own',
    dir: 'hello',
    command: `${rebuildWasm('hello')} && node ../run-wasi.mjs hello.wasm`,
    check: {
      command:
        "want=$(sed -n 's/^ *let s *: *&str *= *\"\\(.*\\)\";.*/\\1/p' src/main.rs); " +
        'got=$(node ../run-wasi.mjs hello.wasm); [ -n "$want" ] && [ "$got" = "$want" ] && echo "greeting matches $(basename src/main.rs)"',
      expect: 'greeting matches main.rs',
    },
    requires: ['rustc'],
    timeoutSeconds: 300,
  },
  {
    // The same exercise as a Wasm container, where the preflight finds a runtime for Docker.
    id: 'hello-own-container',
    dir: 'hello',
    command:
      'docker build --platform wasi/wasm -f Dockerfile.prebuilt -t demo/rust_hello_own . && ' +
      'docker run --rm --network none --pull=never --runtime=io.containerd.wasmtime.v1 --platform=wasi/wasm demo/rust_hello_own',
    check: {
      command:
        "want=$(sed -n 's/^ *let s *: *&str *= *\"\\(.*\\)\";.*/\\1/p' src/main.rs); " +
        'got=$(docker run --rm --network none --pull=never --runtime=io.containerd.wasmtime.v1 --platform=wasi/wasm demo/rust_hello_own); ' +
        '[ -n "$want" ] && [ "$got" = "$want" ] && echo "greeting matches $(basename src/main.rs)"',
      expect: 'greeting matches main.rs',
    },
    needs: ['hello-rebuild-own'],
    requires: ['docker', 'containerd-store', 'wasm-runtime'],
    timeoutSeconds: 300,
  },
  {
    id: 'cargo-build-wasm',
    dir: 'hello',
    command: 'cargo build --target wasm32-wasip1 --release',
    requires: ['rustc'],
    timeoutSeconds: 600,
  },
  {
    id: 'build-hello',
    dir: 'hello',
    command: 'docker buildx build --load --platform wasi/wasm -t demo/rust_hello .',
    check: { command: "docker image inspect demo/rust_hello --format '{{.Os}}/{{.Architecture}}'", expect: 'wasi/wasm' },
    requires: ['docker', 'containerd-store', 'buildx'],
    timeoutSeconds: 900,
  },
  {
    id: 'build-hello-prebuilt',
    dir: 'hello',
    command: 'docker build --platform wasi/wasm -f Dockerfile.prebuilt -t demo/rust_hello .',
    check: { command: "docker image inspect demo/rust_hello --format '{{.Os}}/{{.Architecture}}'", expect: 'wasi/wasm' },
    requires: ['docker', 'containerd-store'],
    timeoutSeconds: 120,
  },

  // ---- docker-run ----
  {
    id: 'run-hello-wasmedge',
    command: 'docker run --rm --network none --pull=never --runtime=io.containerd.wasmedge.v1 --platform=wasi/wasm demo/rust_hello',
    expect: 'Hello WebAssembly in Docker!',
    requires: ['docker', 'wasm-runtime'],
    timeoutSeconds: 120,
  },
  {
    id: 'run-hello-wasmtime',
    command: 'docker run --rm --network none --pull=never --runtime=io.containerd.wasmtime.v1 --platform=wasi/wasm demo/rust_hello',
    expect: 'Hello WebAssembly in Docker!',
    requires: ['docker', 'wasm-runtime'],
    timeoutSeconds: 120,
  },

  // ---- docker-compose ----
  { id: 'compose-up', dir: 'hello', command: 'docker compose up', expect: 'Hello WebAssembly in Docker!', requires: ['docker', 'compose', 'wasm-runtime'], timeoutSeconds: 900 },

  // ---- performance ----
  { id: 'fib-node-wasi', dir: 'fibonacci', command: 'node ../run-wasi.mjs fibonacci.wasm', expect: 'Fibonacci(35) = 9227465', timeoutSeconds: 60 },
  {
    // Exercise: the reader changed n in the editor; rebuilt, run and timed under Node's WASI.
    id: 'fib-rebuild-own',
    dir: 'fibonacci',
    command: `${rebuildWasm('fibonacci')} && node ../run-wasi.mjs fibonacci.wasm && ./measureAvgTime.sh "node ../run-wasi.mjs fibonacci.wasm" 3`,
    check: {
      command:
        "n=$(sed -n 's/^ *let n *= *\\([0-9]*\\);.*/\\1/p' src/main.rs); " +
        'node ../run-wasi.mjs fibonacci.wasm | grep -q "^Fibonacci($n) = " && [ -n "$n" ] && echo "n matches $(basename src/main.rs)"',
      expect: 'n matches main.rs',
    },
    requires: ['rustc'],
    timeoutSeconds: 600,
  },
  {
    id: 'fib-build-native',
    dir: 'fibonacci',
    command: 'rustc -O -C target-feature=+crt-static -o fibonacci src/main.rs',
    requires: ['rustc'],
    timeoutSeconds: 300,
  },
  {
    id: 'fib-build-classic',
    dir: 'fibonacci',
    command: 'docker build -f DockerfileClassic.prebuilt -t demo/fibonacci_classic .',
    needs: ['fib-build-native'],
    requires: ['docker'],
    timeoutSeconds: 120,
  },
  {
    id: 'fib-run-classic',
    command: 'docker run --rm --network none --pull=never demo/fibonacci_classic',
    expect: 'Fibonacci(35) = 9227465',
    needs: ['fib-build-classic'],
    requires: ['docker'],
    timeoutSeconds: 120,
  },
  {
    id: 'fib-build-wasm',
    dir: 'fibonacci',
    command: 'docker build --platform wasi/wasm -f Dockerfile.prebuilt -t demo/fibonacci_webassembly .',
    check: { command: "docker image inspect demo/fibonacci_webassembly --format '{{.Os}}/{{.Architecture}}'", expect: 'wasi/wasm' },
    requires: ['docker', 'containerd-store'],
    timeoutSeconds: 120,
  },
  {
    id: 'fib-run-wasmtime',
    command: 'docker run --rm --network none --pull=never --runtime=io.containerd.wasmtime.v1 --platform=wasi/wasm demo/fibonacci_webassembly',
    expect: 'Fibonacci(35) = 9227465',
    needs: ['fib-build-wasm'],
    requires: ['docker', 'wasm-runtime'],
    timeoutSeconds: 120,
  },
  {
    id: 'fib-measure-classic',
    dir: 'fibonacci',
    command: './measureAvgTime.sh "docker run --rm --network none --pull=never demo/fibonacci_classic" 5',
    expect: 'Average execution time over 5 runs',
    needs: ['fib-build-classic'],
    requires: ['docker'],
    timeoutSeconds: 300,
  },
  {
    id: 'fib-measure-wasmtime',
    dir: 'fibonacci',
    command:
      './measureAvgTime.sh "docker run --rm --network none --pull=never --runtime=io.containerd.wasmtime.v1 --platform=wasi/wasm demo/fibonacci_webassembly" 5',
    expect: 'Average execution time over 5 runs',
    needs: ['fib-build-wasm'],
    requires: ['docker', 'wasm-runtime'],
    timeoutSeconds: 300,
  },
]);
