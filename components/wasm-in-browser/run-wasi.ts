// Runs a WASI preview 1 command module with @bjorn3/browser_wasi_shim and collects what
// it prints. No DOM here, so the same function runs in the browser and in Node tests.
import { ConsoleStdout, File, OpenFile, WASI } from '@bjorn3/browser_wasi_shim';

export interface WasiRunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Milliseconds for instantiate + _start, i.e. the program itself (compiling is separate). */
  runMs: number;
}

function collector(): { fd: ConsoleStdout; text: () => string } {
  const decoder = new TextDecoder();
  let text = '';
  return {
    fd: new ConsoleStdout((bytes) => {
      text += decoder.decode(bytes, { stream: true });
    }),
    text: () => text + decoder.decode(),
  };
}

export async function runWasiModule(
  module: WebAssembly.Module,
  args: string[] = ['program.wasm'],
  now: () => number = () => performance.now(),
): Promise<WasiRunResult> {
  const stdout = collector();
  const stderr = collector();
  const wasi = new WASI(args, [], [new OpenFile(new File([])), stdout.fd, stderr.fd]);
  const started = now();
  const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
  // start() returns the exit code of proc_exit, or 0 when _start returns normally.
  const exitCode = wasi.start(instance as unknown as Parameters<WASI['start']>[0]);
  const runMs = now() - started;
  return { stdout: stdout.text(), stderr: stderr.text(), exitCode, runMs };
}
