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
  { id: 'docker-version', title: { de: 'Docker-Version anzeigen', en: 'Show the Docker version' }, command: "docker version --format '{{.Server.Version}}'", requires: ['docker'], timeoutSeconds: 30 },
  {
    id: 'image-store', title: { de: 'Image-Store prüfen', en: 'Check the image store' },
    command: "docker info --format '{{json .DriverStatus}}'",
    expect: 'io.containerd.snapshotter.v1',
    requires: ['docker'],
    timeoutSeconds: 30,
  },
  { id: 'buildx-ls', title: { de: 'Builder auflisten', en: 'List the builders' }, command: 'docker buildx ls', requires: ['docker', 'buildx'], timeoutSeconds: 30 },
  {
    id: 'buildx-create', title: { de: 'Builder für wasi/wasm anlegen', en: 'Create a builder for wasi/wasm' },
    command: 'docker buildx create --name wasm-builder --platform wasi/wasm\ndocker buildx use wasm-builder',
    requires: ['docker', 'buildx'],
    timeoutSeconds: 60,
  },

  // ---- setup: Wasm with Docker Engine on Linux (checks only read; the commands need sudo or network) ----
  {
    id: 'engine-enable-store',
    title: { de: 'containerd-Image-Store in daemon.json einschalten', en: 'Turn on the containerd image store in daemon.json' },
    powershellNote: 'linux-engine',
    // Never overwrites an existing daemon.json: then it shows the file and says what to add.
    command:
      'if [ -e /etc/docker/daemon.json ]; then echo "Not changed: /etc/docker/daemon.json exists. Add \\"features\\": {\\"containerd-snapshotter\\": true} to it by hand:"; cat /etc/docker/daemon.json; false; else echo \'{ "features": { "containerd-snapshotter": true } }\' | sudo tee /etc/docker/daemon.json; fi',
    check: { command: 'grep -q \'"containerd-snapshotter": *true\' /etc/docker/daemon.json && echo "daemon.json: containerd store on"', expect: 'daemon.json: containerd store on' },
    timeoutSeconds: 120,
  },
  {
    id: 'engine-install-shim',
    title: { de: 'Wasmtime-Shim mit geprüfter Prüfsumme installieren', en: 'Install the wasmtime shim with a verified checksum' },
    powershellNote: 'linux-engine',
    command: 'sh install-wasmtime-shim.sh v0.6.0 "${SHIM_SHA256:-}"',
    check: { command: 'test -x /usr/local/bin/containerd-shim-wasmtime-v1 && echo "wasmtime shim: installed"', expect: 'wasmtime shim: installed' },
    timeoutSeconds: 300,
  },
  {
    id: 'engine-restart',
    title: { de: 'Docker-Daemon neu starten', en: 'Restart the Docker daemon' },
    powershellNote: 'linux-engine',
    command: 'sudo systemctl restart docker',
    check: { command: "docker info --format '{{json .DriverStatus}}'", expect: 'io.containerd.snapshotter.v1' },
    requires: ['docker'],
    timeoutSeconds: 180,
  },
  {
    id: 'engine-verify',
    title: { de: 'Mit dem Hello-Image prüfen', en: 'Verify with the hello image' },
    powershellNote: 'linux-engine',
    dir: 'hello',
    command:
      'docker build --platform wasi/wasm -f Dockerfile.prebuilt -t demo/rust_hello . && docker run --rm --network none --pull=never --runtime=io.containerd.wasmtime.v1 --platform=wasi/wasm demo/rust_hello',
    expect: 'Hello WebAssembly in Docker!',
    requires: ['docker', 'containerd-store', 'wasm-runtime'],
    timeoutSeconds: 180,
  },

  // ---- docker-build ----
  { id: 'hello-node-wasi', title: { de: 'Hello mit Node ausführen', en: 'Run hello with Node' }, dir: 'hello', command: 'node ../run-wasi.mjs hello.wasm', expect: 'Hello WebAssembly in Docker!', timeoutSeconds: 30 },
  {
    // Exercise: the reader changed the greeting in the editor. The check compares what the
    // new module prints with the string in their main.rs (docs/steps.md, "Exercises").
    id: 'hello-rebuild-own',
    title: { de: 'Eigenes hello.wasm neu bauen und ausführen', en: 'Rebuild and run your own hello.wasm' },
    powershellNote: 'bash-only',
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
    title: { de: 'Eigenes hello.wasm als Wasm-Container ausführen', en: 'Run your own hello.wasm as a Wasm container' },
    powershellNote: 'bash-only',
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
    id: 'cargo-build-wasm', title: { de: 'Hello nach Wasm kompilieren', en: 'Compile hello to Wasm' },
    dir: 'hello',
    command: 'cargo build --target wasm32-wasip1 --release',
    requires: ['rustc'],
    timeoutSeconds: 600,
  },
  {
    id: 'build-hello', title: { de: 'Hello-Image bauen', en: 'Build the hello image' },
    dir: 'hello',
    command: 'docker buildx build --load --platform wasi/wasm -t demo/rust_hello .',
    check: { command: "docker image inspect demo/rust_hello --format '{{.Os}}/{{.Architecture}}'", expect: 'wasi/wasm' },
    requires: ['docker', 'containerd-store', 'buildx'],
    timeoutSeconds: 900,
  },
  {
    id: 'build-hello-prebuilt', title: { de: 'Hello-Image aus fertigem Wasm bauen', en: 'Build the hello image from prebuilt Wasm' },
    dir: 'hello',
    command: 'docker build --platform wasi/wasm -f Dockerfile.prebuilt -t demo/rust_hello .',
    check: { command: "docker image inspect demo/rust_hello --format '{{.Os}}/{{.Architecture}}'", expect: 'wasi/wasm' },
    requires: ['docker', 'containerd-store'],
    timeoutSeconds: 120,
  },

  // ---- docker-run ----
  {
    id: 'run-hello-wasmedge', title: { de: 'Hello mit WasmEdge starten', en: 'Run hello with WasmEdge' },
    command: 'docker run --rm --network none --pull=never --runtime=io.containerd.wasmedge.v1 --platform=wasi/wasm demo/rust_hello',
    expect: 'Hello WebAssembly in Docker!',
    requires: ['docker', 'wasm-runtime'],
    timeoutSeconds: 120,
  },
  {
    id: 'run-hello-wasmtime', title: { de: 'Hello mit Wasmtime starten', en: 'Run hello with Wasmtime' },
    command: 'docker run --rm --network none --pull=never --runtime=io.containerd.wasmtime.v1 --platform=wasi/wasm demo/rust_hello',
    expect: 'Hello WebAssembly in Docker!',
    requires: ['docker', 'wasm-runtime'],
    timeoutSeconds: 120,
  },

  // ---- docker-compose ----
  { id: 'compose-up', title: { de: 'Hello mit Compose starten', en: 'Start hello with Compose' }, dir: 'hello', command: 'docker compose up', expect: 'Hello WebAssembly in Docker!', requires: ['docker', 'compose', 'wasm-runtime'], timeoutSeconds: 900 },

  // ---- performance ----
  { id: 'fib-node-wasi', title: { de: 'Fibonacci mit Node ausführen', en: 'Run Fibonacci with Node' }, dir: 'fibonacci', command: 'node ../run-wasi.mjs fibonacci.wasm', expect: 'Fibonacci(35) = 9227465', timeoutSeconds: 60 },
  {
    // Exercise: the reader changed n in the editor; rebuilt, run and timed under Node's WASI.
    id: 'fib-rebuild-own',
    title: { de: 'Eigenes fibonacci.wasm neu bauen und messen', en: 'Rebuild and measure your own fibonacci.wasm' },
    powershellNote: 'bash-script',
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
    id: 'fib-build-native', title: { de: 'Fibonacci nativ kompilieren', en: 'Compile Fibonacci natively' },
    dir: 'fibonacci',
    command: 'rustc -O -C target-feature=+crt-static -o fibonacci src/main.rs',
    // Reads only: is the native program there and does it start? Counts however it was built.
    check: { command: 'test -x fibonacci && echo "native fibonacci: present"', expect: 'native fibonacci: present' },
    powershellNote: 'linux-binary',
    requires: ['rustc'],
    timeoutSeconds: 300,
  },
  {
    id: 'fib-build-classic', title: { de: 'Klassisches Fibonacci-Image bauen', en: 'Build the classic Fibonacci image' },
    dir: 'fibonacci',
    command: 'docker build -f DockerfileClassic.prebuilt -t demo/fibonacci_classic .',
    needs: ['fib-build-native'],
    requires: ['docker'],
    timeoutSeconds: 120,
  },
  {
    id: 'fib-run-classic', title: { de: 'Klassisches Fibonacci-Image starten', en: 'Run the classic Fibonacci image' },
    command: 'docker run --rm --network none --pull=never demo/fibonacci_classic',
    expect: 'Fibonacci(35) = 9227465',
    needs: ['fib-build-classic'],
    requires: ['docker'],
    timeoutSeconds: 120,
  },
  {
    id: 'fib-build-wasm', title: { de: 'Wasm-Fibonacci-Image bauen', en: 'Build the Wasm Fibonacci image' },
    dir: 'fibonacci',
    command: 'docker build --platform wasi/wasm -f Dockerfile.prebuilt -t demo/fibonacci_webassembly .',
    check: { command: "docker image inspect demo/fibonacci_webassembly --format '{{.Os}}/{{.Architecture}}'", expect: 'wasi/wasm' },
    requires: ['docker', 'containerd-store'],
    timeoutSeconds: 120,
  },
  {
    id: 'fib-run-wasmtime', title: { de: 'Wasm-Fibonacci-Image mit Wasmtime starten', en: 'Run the Wasm Fibonacci image with Wasmtime' },
    command: 'docker run --rm --network none --pull=never --runtime=io.containerd.wasmtime.v1 --platform=wasi/wasm demo/fibonacci_webassembly',
    expect: 'Fibonacci(35) = 9227465',
    needs: ['fib-build-wasm'],
    requires: ['docker', 'wasm-runtime'],
    timeoutSeconds: 120,
  },
  {
    id: 'fib-measure-classic', title: { de: 'Klassisches Image messen', en: 'Measure the classic image' },
    dir: 'fibonacci',
    command: './measureAvgTime.sh "docker run --rm --network none --pull=never demo/fibonacci_classic" 5',
    powershellNote: 'bash-script',
    expect: 'Average execution time over 5 runs',
    needs: ['fib-build-classic'],
    requires: ['docker'],
    timeoutSeconds: 300,
  },
  {
    id: 'fib-measure-wasmtime', title: { de: 'Wasm-Image messen', en: 'Measure the Wasm image' },
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
