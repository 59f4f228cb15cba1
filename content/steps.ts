// Every runnable step of the workshop, once, for both languages. Pages show a step
// with <Step id="..."/>; the runner executes it by id from the built manifest.
// Test containers must never reach the network or pull: --network none --pull=never.
import { defineSteps } from '../contracts/step-schema.ts';

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
    id: 'fib-build-native',
    dir: 'fibonacci',
    command: 'rustc -O -C target-feature=+crt-static -o fibonacci src/main.rs',
    powershellNote: 'linux-binary',
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
    powershellNote: 'bash-script',
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
    powershellNote: 'bash-script',
    expect: 'Average execution time over 5 runs',
    needs: ['fib-build-wasm'],
    requires: ['docker', 'wasm-runtime'],
    timeoutSeconds: 300,
  },
]);
