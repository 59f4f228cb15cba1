// The ways the performance chapter runs fibonacci, and which of them this machine
// can run. Each variant is offered only where it works: Docker reachable, image
// present (we never pull), runtime usable, rustc installed. Nothing here touches
// the network: containers run with --network none --pull=never.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir, cpus, platform, arch } from 'node:os';
import { join, resolve } from 'node:path';
import { exec, lastLine } from './exec.ts';
import type { BenchEnvironment, ImageSize, VariantInfo } from '../../contracts/bench-protocol.ts';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** The images the workshop's build chapter creates (content/steps.ts). */
export const IMAGES = {
  classic: 'demo/fibonacci_classic',
  wasm: 'demo/fibonacci_webassembly',
  hello: 'demo/rust_hello',
} as const;

import { BROWSER_VARIANT, VARIANT_IDS, WASM_RUNTIMES } from '../../contracts/bench-protocol.ts';

export { BROWSER_VARIANT, VARIANT_IDS, WASM_RUNTIMES };

export interface Variant extends VariantInfo {
  /** Set for an available server-side variant. */
  command?: string[];
  cwd?: string;
}

export interface DetectOptions {
  images?: { classic: string; wasm: string; hello: string };
  /** Probe the Wasm runtimes with a real run (slow); otherwise trust `wasmRuntimes`. */
  wasmRuntimes?: Partial<Record<(typeof WASM_RUNTIMES)[number], { usable: boolean; detail?: string }>>;
  /** Set when the doctor found this Docker cannot run Wasm at all: the Engine version, for the text. */
  noWasmSupport?: string;
  /** Directory for the native build (cached by source and compiler). */
  buildDir?: string;
  /** Build the native binary if needed; listing alone does not build. */
  buildNative?: boolean;
}

const FIB_SOURCE = join(repoRoot, 'fixtures/fibonacci/src/main.rs');
const FIB_WASM = join(repoRoot, 'fixtures/fibonacci/fibonacci.wasm');
const RUN_WASI = join(repoRoot, 'fixtures/run-wasi.mjs');

export function dockerRunCommand(image: string, runtime?: string): string[] {
  const args = ['docker', 'run', '--rm', '--network', 'none', '--pull=never'];
  if (runtime) args.push(`--runtime=io.containerd.${runtime}.v1`, '--platform=wasi/wasm');
  return [...args, image];
}

export async function dockerServerVersion(): Promise<string | null> {
  const out = await exec('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 10_000 });
  return out.ok ? out.stdout.trim() : null;
}

/** Size in bytes of a local image, or null when it does not exist. */
export async function imageSize(image: string): Promise<number | null> {
  const out = await exec('docker', ['image', 'inspect', '--format', '{{.Size}}', image], { timeoutMs: 10_000 });
  if (!out.ok) return null;
  const bytes = Number(out.stdout.trim());
  return Number.isFinite(bytes) ? bytes : null;
}

/** A usable runtime runs the image and prints the result; anything else tells us why not. */
export async function probeWasmRuntime(image: string, runtime: string): Promise<{ usable: boolean; detail?: string }> {
  const [file, ...args] = dockerRunCommand(image, runtime);
  const out = await exec(file, args, { timeoutMs: 120_000 });
  if (out.ok && out.stdout.includes('Stopped')) return { usable: true };
  return { usable: false, detail: lastLine(out.stderr) || lastLine(out.stdout) || `exit code ${out.code}` };
}

/** Builds fixtures/fibonacci natively once per source and compiler; returns the binary's path. */
export async function buildNative(buildDir: string): Promise<{ path: string } | { error: string }> {
  const version = await exec('rustc', ['--version'], { timeoutMs: 10_000 });
  if (!version.ok) return { error: version.errno === 'ENOENT' ? 'rustc not found' : lastLine(version.stderr) };
  const key = createHash('sha256').update(readFileSync(FIB_SOURCE)).update(version.stdout).digest('hex').slice(0, 16);
  const dir = join(buildDir, key);
  const binary = join(dir, 'fibonacci');
  if (existsSync(binary)) return { path: binary };
  mkdirSync(dir, { recursive: true });
  // Build to a temporary name and rename, so a half-written binary is never taken for a finished one.
  const partial = join(dir, `fibonacci.${process.pid}.partial`);
  const built = await exec('rustc', ['-O', '-o', partial, FIB_SOURCE], { timeoutMs: 300_000, cwd: dir });
  if (!built.ok) return { error: lastLine(built.stderr) || 'rustc failed' };
  renameSync(partial, binary);
  return { path: binary };
}

export async function hasRustc(): Promise<boolean> {
  return (await exec('rustc', ['--version'], { timeoutMs: 10_000 })).ok;
}

export const defaultBuildDir = () => join(tmpdir(), 'wasm-workshop-bench');

/** Finds out which variants run here. The browser variant is listed as available: the page decides. */
export async function detectVariants(options: DetectOptions = {}): Promise<{ variants: Variant[]; imageSizes: ImageSize[]; docker: string | null }> {
  const images = options.images ?? IMAGES;
  const docker = await dockerServerVersion();
  const variants: Variant[] = [];

  // native
  if (options.buildNative) {
    const built = await buildNative(options.buildDir ?? defaultBuildDir());
    variants.push('path' in built
      ? { id: 'native', available: true, command: [built.path] }
      : { id: 'native', available: false, reason: built.error === 'rustc not found' ? 'no-rustc' : 'build-failed', detail: built.error });
  } else {
    variants.push((await hasRustc()) ? { id: 'native', available: true } : { id: 'native', available: false, reason: 'no-rustc' });
  }

  // Node's WASI: always here, the runner itself is Node.
  variants.push({ id: 'node-wasi', available: true, command: [process.execPath, RUN_WASI, FIB_WASM], cwd: repoRoot });
  variants.push({ id: BROWSER_VARIANT, available: true });

  const sizes: ImageSize[] = [];
  if (docker === null) {
    variants.push({ id: 'container-classic', available: false, reason: 'no-docker' });
    for (const r of WASM_RUNTIMES) variants.push({ id: `container-${r}`, available: false, reason: 'no-docker' });
    return { variants, imageSizes: sizes, docker };
  }

  for (const image of [images.classic, images.wasm, images.hello]) {
    const bytes = await imageSize(image);
    if (bytes !== null) sizes.push({ image, bytes });
  }
  const has = (image: string) => sizes.some((s) => s.image === image);

  variants.push(has(images.classic)
    ? { id: 'container-classic', available: true, command: dockerRunCommand(images.classic) }
    : { id: 'container-classic', available: false, reason: 'no-image', detail: images.classic });

  for (const runtime of WASM_RUNTIMES) {
    const id = `container-${runtime}` as const;
    // The root cause first: without Wasm support the image cannot be built either.
    if (options.noWasmSupport !== undefined) {
      variants.push({ id, available: false, reason: 'no-wasm-support', detail: options.noWasmSupport });
      continue;
    }
    if (!has(images.wasm)) {
      variants.push({ id, available: false, reason: 'no-image', detail: images.wasm });
      continue;
    }
    const known = options.wasmRuntimes?.[runtime];
    const verdict = known ?? (await probeWasmRuntime(images.wasm, runtime));
    variants.push(verdict.usable
      ? { id, available: true, command: dockerRunCommand(images.wasm, runtime) }
      : { id, available: false, reason: 'runtime-unusable', detail: verdict.detail });
  }
  return { variants, imageSizes: sizes, docker };
}

export function environment(docker: string | null): BenchEnvironment {
  const cpuList = cpus();
  return {
    platform: platform(),
    arch: arch(),
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model?.trim() || undefined,
    node: process.version,
    ...(docker ? { docker } : {}),
  };
}
