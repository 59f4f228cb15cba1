// Pure parsers for what the docker CLI prints. No I/O here, so the unit tests can feed
// them recorded outputs (tests/doctor/recorded/) from real engines and Desktop-like samples.

/** The facts the checks need from `docker info --format '{{json .}}'`. */
export interface DockerInfoFacts {
  serverVersion: string;
  operatingSystem: string;
  /** Docker Desktop says so in OperatingSystem ("Docker Desktop"). */
  isDesktop: boolean;
  /** Storage driver as reported (overlay2 on the classic store, overlayfs with containerd). */
  driver: string;
  /** DriverStatus has ["driver-type", "io.containerd.snapshotter.v1"]. */
  containerdStore: boolean;
  /** Runtimes the daemon has registered: name -> its path or runtimeType, if any. */
  runtimes: Record<string, string>;
  /** Errors the CLI reports for the server part (newer CLIs put them in ServerErrors). */
  serverErrors: string[];
}

const asString = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Parses `docker info --format '{{json .}}'`; throws on text that is not such JSON. */
export function parseDockerInfo(jsonText: string): DockerInfoFacts {
  const data = JSON.parse(jsonText.trim()) as Record<string, unknown>;
  if (!data || typeof data !== 'object') throw new Error('docker info did not print a JSON object');
  const driverStatus = Array.isArray(data.DriverStatus) ? (data.DriverStatus as unknown[]) : [];
  const containerdStore = driverStatus.some(
    (pair) =>
      Array.isArray(pair) && pair[0] === 'driver-type' && pair[1] === 'io.containerd.snapshotter.v1',
  );
  const runtimes: Record<string, string> = {};
  if (data.Runtimes && typeof data.Runtimes === 'object') {
    for (const [name, entry] of Object.entries(data.Runtimes as Record<string, unknown>)) {
      const e = (entry ?? {}) as Record<string, unknown>;
      runtimes[name] = asString(e.runtimeType) || asString(e.path) || asString(e.Path);
    }
  }
  const operatingSystem = asString(data.OperatingSystem);
  return {
    serverVersion: asString(data.ServerVersion),
    operatingSystem,
    isDesktop: /docker desktop/i.test(operatingSystem),
    driver: asString(data.Driver),
    containerdStore,
    runtimes,
    serverErrors: Array.isArray(data.ServerErrors) ? data.ServerErrors.map(String) : [],
  };
}

/** Major and minor of a version like "20.10.24+dfsg1", "v2.29.1", "5.0.0-desktop.1". */
export function parseVersion(text: string): { major: number; minor: number } | undefined {
  const match = /(\d+)\.(\d+)/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** The client version from `docker version --format '{{json .}}'` (printed even without a daemon). */
export function parseClientVersion(jsonText: string): string | undefined {
  try {
    const data = JSON.parse(jsonText.trim()) as { Client?: { Version?: unknown } };
    return asString(data?.Client?.Version) || undefined;
  } catch {
    return undefined;
  }
}

/** A Wasm runtime the workshop knows: its short name, containerd name and shim binary. */
export interface WasmRuntime {
  name: 'wasmtime' | 'wasmedge' | 'wasmer' | 'spin';
  /** The fully qualified name for --runtime (Engine >= 23 passes it on to containerd). */
  runtimeName: string;
  /** The binary containerd looks for on the daemon's PATH. */
  shim: string;
}

export const WASM_RUNTIMES: readonly WasmRuntime[] = [
  { name: 'wasmtime', runtimeName: 'io.containerd.wasmtime.v1', shim: 'containerd-shim-wasmtime-v1' },
  { name: 'wasmedge', runtimeName: 'io.containerd.wasmedge.v1', shim: 'containerd-shim-wasmedge-v1' },
  { name: 'wasmer', runtimeName: 'io.containerd.wasmer.v1', shim: 'containerd-shim-wasmer-v1' },
  { name: 'spin', runtimeName: 'io.containerd.spin.v2', shim: 'containerd-shim-spin-v2' },
];

/**
 * The name under which the daemon has registered a runtime: its full name, or a
 * daemon.json alias whose runtimeType is the full name or a path to the shim.
 * Shims that are only on PATH are not listed: only a smoke run finds those.
 */
export function registeredRuntimeName(facts: DockerInfoFacts, runtime: WasmRuntime): string | undefined {
  if (runtime.runtimeName in facts.runtimes) return runtime.runtimeName;
  for (const [name, target] of Object.entries(facts.runtimes)) {
    if (target === runtime.runtimeName || target.endsWith(runtime.shim) || target.endsWith(`${runtime.shim}.exe`)) {
      return name;
    }
  }
  return undefined;
}

/** Builders in `docker buildx ls` output whose platforms include wasi/wasm (or wasi/wasm32). */
export function buildersWithWasi(buildxLs: string): string[] {
  const builders: string[] = [];
  let current: string | undefined;
  for (const raw of buildxLs.split(/\r?\n/)) {
    if (!raw.trim() || /^NAME\/NODE\b/.test(raw)) continue;
    // Builder lines start at column 0; node lines are indented or start with \_ (buildx >= 0.13).
    if (!/^\s/.test(raw) && !raw.startsWith('\\_')) current = raw.trim().split(/\s+/)[0]?.replace(/\*$/, '');
    if (current && /\bwasi\/wasm/.test(raw) && !builders.includes(current)) builders.push(current);
  }
  return builders;
}

/** The version in `docker compose version` output ("Docker Compose version v2.40.3-desktop.1"). */
export function parseComposeVersion(output: string): string | undefined {
  return /\bv?\d+\.\d+[^\s]*/.exec(output)?.[0];
}
